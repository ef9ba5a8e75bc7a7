import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { queryRows } from "./test-database.ts";

/**
 * What "honest ratings" means, asked of the whole database: each listing's rating columns equal
 * a recount of its published guest reviews, done here in SQL rather than with the app's code, so
 * that a slip in the incremental bookkeeping (a review counted twice, a hidden one not taken out)
 * cannot hide behind the same slip in the check.
 */

const SUMS = [
  "rating_sum",
  "rating_count",
  "cleanliness_sum",
  "accuracy_sum",
  "check_in_sum",
  "communication_sum",
  "location_sum",
  "value_sum",
] as const;

type Sums = Record<(typeof SUMS)[number], number>;

export interface RatingBreach {
  listingId: string;
  stored: Sums;
  recounted: Sums;
}

/** Every listing whose stored rating columns differ from a recount of its published guest reviews. */
export async function reviewInvariantBreaches(db: Database): Promise<RatingBreach[]> {
  const rows = await queryRows<Record<string, string | number>>(
    db,
    sql`with recount as (
          select listing_id,
            sum(rating) as rating_sum, count(*) as rating_count,
            sum(cleanliness) as cleanliness_sum, sum(accuracy) as accuracy_sum,
            sum(check_in) as check_in_sum, sum(communication) as communication_sum,
            sum(location) as location_sum, sum(value) as value_sum
          from reviews
          where status = 'published' and side = 'guest'
          group by listing_id
        )
        select l.id,
          l.rating_sum, l.rating_count, l.cleanliness_sum, l.accuracy_sum, l.check_in_sum,
          l.communication_sum, l.location_sum, l.value_sum,
          coalesce(r.rating_sum, 0)::int as re_rating_sum,
          coalesce(r.rating_count, 0)::int as re_rating_count,
          coalesce(r.cleanliness_sum, 0)::int as re_cleanliness_sum,
          coalesce(r.accuracy_sum, 0)::int as re_accuracy_sum,
          coalesce(r.check_in_sum, 0)::int as re_check_in_sum,
          coalesce(r.communication_sum, 0)::int as re_communication_sum,
          coalesce(r.location_sum, 0)::int as re_location_sum,
          coalesce(r.value_sum, 0)::int as re_value_sum
        from listings l left join recount r on r.listing_id = l.id
        order by l.id`,
  );
  const breaches: RatingBreach[] = [];
  for (const row of rows) {
    const stored = Object.fromEntries(SUMS.map((c) => [c, Number(row[c])])) as Sums;
    const recounted = Object.fromEntries(SUMS.map((c) => [c, Number(row[`re_${c}`])])) as Sums;
    if (SUMS.some((c) => stored[c] !== recounted[c])) {
      breaches.push({ listingId: String(row.id), stored, recounted });
    }
  }
  return breaches;
}

/** Fails the test, listing each breach, unless every listing's rating equals its recount. */
export async function expectReviewInvariants(db: Database): Promise<void> {
  expect(await reviewInvariantBreaches(db)).toEqual([]);
}

export interface RatingSummary {
  count: number;
  average: number | null;
}

/**
 * What a user's profile should say, recounted in SQL: as a guest, the published reviews their
 * hosts wrote about them; as a host, the published reviews their guests wrote of their stays.
 * Averages to two decimals.
 */
export async function expectedUserRatings(
  db: Database,
  userId: string,
): Promise<{ asGuest: RatingSummary; asHost: RatingSummary }> {
  const rows = await queryRows<{ side: string; count: number | string; average: string | null }>(
    db,
    sql`select side, count(*)::int as count, round(avg(rating)::numeric, 2)::text as average
        from reviews
        where subject_id = ${userId} and status = 'published'
        group by side`,
  );
  const of = (writtenBy: "guest" | "host"): RatingSummary => {
    const row = rows.find((r) => r.side === writtenBy);
    return row
      ? { count: Number(row.count), average: row.average === null ? null : Number(row.average) }
      : { count: 0, average: null };
  };
  return { asGuest: of("host"), asHost: of("guest") };
}
