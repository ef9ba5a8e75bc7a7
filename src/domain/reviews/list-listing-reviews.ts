import { and, eq } from "drizzle-orm";
import { reviews } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { findListing, listingNotFound } from "../listings/listing-store.ts";
import { canManage, listingRatingOf } from "../listings/listing-view.ts";
import type { NewestFirstPosition } from "../pagination.ts";
import { publishedReviewPage } from "./review-store.ts";

/**
 * A listing's published guest reviews, newest first, with its rating: count, average and
 * per-category averages. Anyone may read those of a published listing.
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
  const page = await publishedReviewPage(
    ctx,
    and(eq(reviews.listingId, listing.id), eq(reviews.side, "guest")),
    input,
  );
  return { ...page, summary: listingRatingOf(listing) };
}
