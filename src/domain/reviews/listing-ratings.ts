import { eq, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { listings } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { listingCacheKey } from "../listings/listing-rules.ts";
import type { ReviewRow } from "./review-view.ts";

/**
 * A guest review enters (`+1`) or leaves (`-1`) its listing's rating, in the caller's transaction:
 * the overall and per-category sums and the count move together. The listing's cached answer is
 * dropped after the transaction by the caller (`forgetListing`).
 */
export async function countInListing(ctx: DomainContext, review: ReviewRow, sign: 1 | -1): Promise<void> {
  if (review.side !== "guest") return;
  const add = (column: AnyPgColumn, stars: number | null) => sql`${column} + ${sign * (stars ?? 0)}`;
  await ctx.db
    .update(listings)
    .set({
      ratingSum: add(listings.ratingSum, review.rating),
      ratingCount: sql`${listings.ratingCount} + ${sign}`,
      cleanlinessSum: add(listings.cleanlinessSum, review.cleanliness),
      accuracySum: add(listings.accuracySum, review.accuracy),
      checkInSum: add(listings.checkInSum, review.checkIn),
      communicationSum: add(listings.communicationSum, review.communication),
      locationSum: add(listings.locationSum, review.location),
      valueSum: add(listings.valueSum, review.value),
    })
    .where(eq(listings.id, review.listingId));
}

/** After a transaction that changed listings' ratings: their cached answers go. */
export async function forgetListings(ctx: DomainContext, listingIds: Iterable<string>): Promise<void> {
  for (const id of new Set(listingIds)) await ctx.deps.cache.delete(listingCacheKey(id));
}
