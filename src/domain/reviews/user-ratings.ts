import { and, eq, inArray, sql } from "drizzle-orm";
import { reviews } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { averageOf } from "../listings/listing-view.ts";

export interface ReviewSummary {
  count: number;
  average: number | null;
}

export interface UserRatings {
  asGuest: ReviewSummary;
  asHost: ReviewSummary;
}

/**
 * What published reviews say about a user: as a guest (their hosts' reviews) and as a host (their
 * guests' reviews of their stays). Counted when asked, so it always agrees with the reviews.
 */
export async function userRatings(ctx: DomainContext, userId: string): Promise<UserRatings> {
  return (await usersRatings(ctx, [userId])).get(userId) ?? noRatings();
}

/** `userRatings` of several users, in one statement; a user nobody reviewed has counts of 0. */
export async function usersRatings(ctx: DomainContext, userIds: string[]): Promise<Map<string, UserRatings>> {
  const ratings = new Map(userIds.map((id) => [id, noRatings()]));
  if (userIds.length === 0) return ratings;
  const rows = await ctx.db
    .select({
      subjectId: reviews.subjectId,
      side: reviews.side,
      count: sql<number>`count(*)::int`,
      sum: sql<number>`sum(${reviews.rating})::int`,
    })
    .from(reviews)
    .where(and(inArray(reviews.subjectId, userIds), eq(reviews.status, "published")))
    .groupBy(reviews.subjectId, reviews.side);
  for (const row of rows) {
    const summary = { count: row.count, average: averageOf(row.sum, row.count) };
    const user = ratings.get(row.subjectId);
    // A review written by the host is about the user as a guest, and the other way round.
    if (user && row.side === "host") user.asGuest = summary;
    if (user && row.side === "guest") user.asHost = summary;
  }
  return ratings;
}

const noRatings = (): UserRatings => ({
  asGuest: { count: 0, average: null },
  asHost: { count: 0, average: null },
});
