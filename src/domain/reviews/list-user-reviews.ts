import { and, eq } from "drizzle-orm";
import { reviews } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { findUser, userNotFound } from "../identity/find-user.ts";
import type { NewestFirstPosition } from "../pagination.ts";
import { publishedReviewPage } from "./review-store.ts";
import { userRatings } from "./user-ratings.ts";

/**
 * Published reviews about a user, newest first: `as: "guest"`, what their hosts wrote; `as:
 * "host"`, what guests wrote of their stays. With that side's summary.
 */
export async function listUserReviews({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { userId: string; as: "guest" | "host"; limit: number; after?: NewestFirstPosition | undefined };
}) {
  const user = await findUser(ctx.db, input.userId);
  if (!user) throw userNotFound();
  const writtenBy = input.as === "guest" ? "host" : "guest";
  const page = await publishedReviewPage(
    ctx,
    and(eq(reviews.subjectId, user.id), eq(reviews.side, writtenBy)),
    input,
  );
  const ratings = await userRatings(ctx, user.id);
  return { ...page, summary: input.as === "guest" ? ratings.asGuest : ratings.asHost };
}
