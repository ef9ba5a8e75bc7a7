import { z } from "zod";
import type { Listing as ListingShape } from "../domain/listings/listing-schemas.ts";
import { listingNotFound } from "../domain/listings/listing-store.ts";
import type { ListingReviewsPage } from "../domain/reviews/list-first-listing-reviews.ts";
import { listFirstListingReviews } from "../domain/reviews/list-first-listing-reviews.ts";
import { listListingReviews } from "../domain/reviews/list-listing-reviews.ts";
import { listUserReviews } from "../domain/reviews/list-user-reviews.ts";
import type { Review as ReviewShape } from "../domain/reviews/review-schemas.ts";
import {
  listingReviewSummarySchema,
  reviewSchema,
  reviewSummarySchema,
} from "../domain/reviews/review-schemas.ts";
import type { ReviewSummary as ReviewSummaryShape } from "../domain/reviews/user-ratings.ts";
import { decodeNewestFirst } from "../http/cursor.ts";
import * as routes from "../routes/reviews/reviews.routes.ts";
import { restInput } from "./args.ts";
import { inKeyOrder } from "./batch.ts";
import { builder } from "./builder.ts";
import { connectionOf, firstArg, newestFirstCursor, pageArgs } from "./connections.ts";
import { Listing } from "./listings.ts";
import { PublicProfile } from "./users.ts";
import { zodEnum, zodObject } from "./zod-types.ts";

export const Review = zodObject(reviewSchema);

builder.objectField(Review, "author", (t) =>
  t.field({ type: PublicProfile, nullable: true, resolve: (review) => review.authorId }),
);

const ListingReviewSummary = zodObject(listingReviewSummarySchema);
const ReviewSummary = zodObject(reviewSummarySchema);

type Connection = ReturnType<typeof connectionOf<ReviewShape, unknown>>;

const ListingReviewConnection = builder.connectionObject<
  typeof Review,
  Connection & { summary: ListingReviewsPage["summary"] }
>({
  type: Review,
  name: "ListingReviewConnection",
  description: "A page of a listing's published guest reviews, newest first, with its averages.",
  fields: (t) => ({
    summary: t.field({ type: ListingReviewSummary, resolve: (connection) => connection.summary }),
  }),
});

const UserReviewConnection = builder.connectionObject<
  typeof Review,
  Connection & { summary: ReviewSummaryShape }
>({
  type: Review,
  name: "UserReviewConnection",
  description: "A page of published reviews about a user, newest first, with their summary.",
  fields: (t) => ({
    summary: t.field({ type: ReviewSummary, resolve: (connection) => connection.summary }),
  }),
});

const StaySide = zodEnum(
  z
    .enum(["guest", "host"])
    .meta({ description: "A user's part in stays: as their guest, or as their host." }),
  "StaySide",
);

/** A listing's first reviews, read in one batch for every listing of the query. */
builder.objectField(Listing, "reviews", (t) =>
  t.loadable({
    type: ListingReviewConnection,
    nullable: true,
    description: "Its newest published guest reviews; page on with `reviews(listingId:, after:)`.",
    byPath: true,
    args: { first: firstArg(t.arg, 100) },
    // The listings themselves are the keys: read and checked already, they are not read again.
    loaderOptions: { cacheKeyFn: (listing: ListingShape) => listing.id },
    load: async (keys: ListingShape[], { domain }, args) => {
      const { limit } = restInput(routes.listListingReviews.request.query, args);
      const pages = await listFirstListingReviews({ ctx: domain, input: { listings: keys, limit } });
      return inKeyOrder(
        keys.map((listing) => listing.id),
        [...pages].map(([id, page]) => [
          id,
          { ...connectionOf(page, newestFirstCursor), summary: page.summary },
        ]),
        listingNotFound,
      );
    },
    resolve: (listing) => listing,
  }),
);

builder.objectField(PublicProfile, "reviews", (t) =>
  t.field({
    type: UserReviewConnection,
    nullable: true,
    description:
      "Published reviews about them, newest first: `as: host`, what guests wrote of their stays; " +
      "`as: guest`, what their hosts wrote of them.",
    args: { as: t.arg({ type: StaySide, defaultValue: "host" }), ...pageArgs(t.arg, 100) },
    resolve: (profile, args, { domain }) => {
      const { as, limit, cursor } = restInput(routes.listUserReviews.request.query, args);
      let page: Promise<Connection> | undefined;
      // The profile holds the summaries already: a card showing only those reads no reviews.
      const read = () => {
        page ??= listUserReviews({
          ctx: domain,
          input: { userId: profile.id, as, limit, after: decodeNewestFirst(cursor) },
        }).then((found) => connectionOf(found, newestFirstCursor));
        return page;
      };
      return {
        summary: as === "guest" ? profile.reviews.asGuest : profile.reviews.asHost,
        get edges() {
          return read().then((connection) => connection.edges);
        },
        get pageInfo() {
          return read().then((connection) => connection.pageInfo);
        },
      };
    },
  }),
);

builder.queryField("reviews", (t) =>
  t.field({
    type: ListingReviewConnection,
    nullable: true,
    description: "A listing's published guest reviews, newest first, with its averages.",
    args: { listingId: t.arg.id({ required: true }), ...pageArgs(t.arg, 100) },
    resolve: async (_root, { listingId, ...args }, { domain }) => {
      const { id } = restInput(routes.listListingReviews.request.params, { listingId }, { listingId: "id" });
      const { limit, cursor } = restInput(routes.listListingReviews.request.query, args);
      const page = await listListingReviews({
        ctx: domain,
        input: { listingId: id, limit, after: decodeNewestFirst(cursor) },
      });
      return { ...connectionOf(page, newestFirstCursor), summary: page.summary };
    },
  }),
);
