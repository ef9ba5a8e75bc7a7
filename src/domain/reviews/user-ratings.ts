import { and, eq, sql } from "drizzle-orm";
import { reviews } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { averageOf } from "../listings/listing-view.ts";

export interface ReviewSummary {
  count: number;
  average: number | null;
}

/**
 * What published reviews say about a user: as a guest (their hosts' reviews) and as a host (their
 * guests' reviews of their stays). Counted when asked, so it always agrees with the reviews.
 */
export async function userRatings(
  ctx: DomainContext,
  userId: string,
): Promise<{ asGuest: ReviewSummary; asHost: ReviewSummary }> {
  const rows = await ctx.db
    .select({
      side: reviews.side,
      count: sql<number>`count(*)::int`,
      sum: sql<number>`sum(${reviews.rating})::int`,
    })
    .from(reviews)
    .where(and(eq(reviews.subjectId, userId), eq(reviews.status, "published")))
    .groupBy(reviews.side);
  const of = (side: "guest" | "host"): ReviewSummary => {
    const row = rows.find((r) => r.side === side);
    return { count: row?.count ?? 0, average: row ? averageOf(row.sum, row.count) : null };
  };
  // A review written by the host is about the user as a guest, and the other way round.
  return { asGuest: of("host"), asHost: of("guest") };
}
