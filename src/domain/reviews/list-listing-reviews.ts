import { and, desc, eq } from "drizzle-orm";
import { reviews } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { findListing, listingNotFound } from "../listings/listing-store.ts";
import { canManage } from "../listings/listing-view.ts";
import { afterNewestFirst, type NewestFirstPosition, newestFirstPage } from "../pagination.ts";
import { listingSummary } from "./listing-ratings.ts";
import { toReview } from "./review-view.ts";

/**
 * A listing's published guest reviews, newest first (keyset on publishedAt, id), with its rating:
 * count, average and per-category averages. Anyone may read those of a published listing.
 */
export async function listListingReviews({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { listingId: string; limit: number; after?: NewestFirstPosition | undefined };
}) {
  const listing = await findListing(ctx.db, input.listingId);
  if (!listing || (listing.status !== "published" && !canManage(ctx.actor, listing))) throw listingNotFound();
  const rows = await ctx.db
    .select()
    .from(reviews)
    .where(
      and(
        eq(reviews.listingId, listing.id),
        eq(reviews.side, "guest"),
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
  return { ...page, summary: listingSummary(listing) };
}
