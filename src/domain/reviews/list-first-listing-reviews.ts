import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { listings, reviews } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { Listing } from "../listings/listing-schemas.ts";
import type { KeysetPage, NewestFirstPosition } from "../pagination.ts";
import type { Review } from "./review-schemas.ts";
import { publishedPageOf } from "./review-store.ts";
import type { ReviewRow } from "./review-view.ts";

export type ListingReviewsPage = KeysetPage<Review, NewestFirstPosition> & { summary: Listing["rating"] };

/**
 * What `listListingReviews` answers without a cursor, for listings the caller has read already (so
 * it may see them; their rating is the page's summary), in one statement whatever their number:
 * each one's newest reviews, by a LATERAL join so that each listing reads only its first
 * `limit + 1` from its index.
 */
export async function listFirstListingReviews({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { listings: readonly Pick<Listing, "id" | "rating">[]; limit: number };
}): Promise<Map<string, ListingReviewsPage>> {
  const pages = new Map<string, ListingReviewsPage>();
  if (input.listings.length === 0) return pages;
  const newest = ctx.db
    .select()
    .from(reviews)
    .where(
      and(eq(reviews.listingId, listings.id), eq(reviews.status, "published"), eq(reviews.side, "guest")),
    )
    .orderBy(desc(reviews.publishedAt), desc(reviews.id))
    .limit(input.limit + 1)
    .as("newest");
  const rows: ReviewRow[] = await ctx.db
    .select(newest._.selectedFields)
    .from(listings)
    .innerJoinLateral(newest, sql`true`)
    .where(
      inArray(
        listings.id,
        input.listings.map((listing) => listing.id),
      ),
    )
    .orderBy(desc(newest.publishedAt), desc(newest.id));
  for (const listing of input.listings) {
    const own = rows.filter((row) => row.listingId === listing.id);
    pages.set(listing.id, { ...publishedPageOf(ctx, own, input.limit), summary: listing.rating });
  }
  return pages;
}
