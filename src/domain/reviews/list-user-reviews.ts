import { and, desc, eq } from "drizzle-orm";
import { reviews } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { findUser, userNotFound } from "../identity/find-user.ts";
import { afterNewestFirst, type NewestFirstPosition, newestFirstPage } from "../pagination.ts";
import { toReview } from "./review-view.ts";
import { userRatings } from "./user-ratings.ts";

/**
 * Published reviews about a user, newest first (keyset on publishedAt, id): `as: "guest"`, what
 * their hosts wrote; `as: "host"`, what guests wrote of their stays. With that side's summary.
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
  const rows = await ctx.db
    .select()
    .from(reviews)
    .where(
      and(
        eq(reviews.subjectId, user.id),
        eq(reviews.side, writtenBy),
        eq(reviews.status, "published"),
        afterNewestFirst(reviews.publishedAt, reviews.id, input.after),
      ),
    )
    .orderBy(desc(reviews.publishedAt), desc(reviews.id))
    .limit(input.limit + 1);
  const page = newestFirstPage(
    rows.map((row) => ({ row, createdAt: row.publishedAt ?? row.createdAt, id: row.id })),
    input.limit,
    ({ row }) => toReview(row, ctx.actor),
  );
  const ratings = await userRatings(ctx, user.id);
  return { ...page, summary: input.as === "guest" ? ratings.asGuest : ratings.asHost };
}
