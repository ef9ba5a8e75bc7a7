import type { RouteHandler } from "@hono/zod-openapi";
import { createReview } from "../../domain/reviews/create-review.ts";
import { getReview } from "../../domain/reviews/get-review.ts";
import { hideReview } from "../../domain/reviews/hide-review.ts";
import { listListingReviews } from "../../domain/reviews/list-listing-reviews.ts";
import { listUserReviews } from "../../domain/reviews/list-user-reviews.ts";
import { replyToReview } from "../../domain/reviews/reply-to-review.ts";
import { updateReview } from "../../domain/reviews/update-review.ts";
import { domainContext } from "../../http/context.ts";
import { decodeNewestFirst, encodeNewestFirst } from "../../http/cursor.ts";
import type { AppEnv } from "../../http/types.ts";
import type * as routes from "./reviews.routes.ts";

export const createHandler: RouteHandler<typeof routes.createReview, AppEnv> = async (c) =>
  c.json(
    await createReview({
      ctx: domainContext(c),
      input: { ...c.req.valid("json"), bookingId: c.req.valid("param").id },
    }),
    201,
  );

export const getHandler: RouteHandler<typeof routes.getReview, AppEnv> = async (c) =>
  c.json(await getReview({ ctx: domainContext(c), input: c.req.valid("param") }), 200);

export const updateHandler: RouteHandler<typeof routes.updateReview, AppEnv> = async (c) =>
  c.json(
    await updateReview({ ctx: domainContext(c), input: { ...c.req.valid("json"), ...c.req.valid("param") } }),
    200,
  );

export const replyHandler: RouteHandler<typeof routes.replyToReview, AppEnv> = async (c) =>
  c.json(
    await replyToReview({
      ctx: domainContext(c),
      input: { ...c.req.valid("json"), ...c.req.valid("param") },
    }),
    200,
  );

export const listForListingHandler: RouteHandler<typeof routes.listListingReviews, AppEnv> = async (c) => {
  const { cursor, limit } = c.req.valid("query");
  const { items, next, summary } = await listListingReviews({
    ctx: domainContext(c),
    input: { listingId: c.req.valid("param").id, limit, after: decodeNewestFirst(cursor) },
  });
  return c.json({ items, nextCursor: encodeNewestFirst(next), summary }, 200);
};

export const listForUserHandler: RouteHandler<typeof routes.listUserReviews, AppEnv> = async (c) => {
  const { cursor, limit, as } = c.req.valid("query");
  const { items, next, summary } = await listUserReviews({
    ctx: domainContext(c),
    input: { userId: c.req.valid("param").id, as, limit, after: decodeNewestFirst(cursor) },
  });
  return c.json({ items, nextCursor: encodeNewestFirst(next), summary }, 200);
};

export const hideHandler: RouteHandler<typeof routes.hideReview, AppEnv> = async (c) =>
  c.json(
    await hideReview({ ctx: domainContext(c), input: { ...c.req.valid("json"), ...c.req.valid("param") } }),
    200,
  );
