import { and, desc, eq, inArray, type SQL } from "drizzle-orm";
import { listings, reviews } from "../../db/schema/index.ts";
import type { BookingRow } from "../bookings/booking-view.ts";
import { addDays, zonedInstant } from "../bookings/local-time.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { addToOutbox } from "../outbox/add-to-outbox.ts";
import { topics } from "../outbox/topics.ts";
import { afterNewestFirst, type NewestFirstPosition, newestFirstPage } from "../pagination.ts";
import { countInListing } from "./listing-ratings.ts";
import { type ReviewRow, toReview } from "./review-view.ts";
import { REVIEW_WINDOW_DAYS } from "./vocabulary.ts";

export const reviewNotFound = () => new AppError("NOT_FOUND", "No review with this id.");

/** When a stay's reviews close: 14 days after its check-out time, on the listing's wall clock. */
export async function reviewWindowCloses(ctx: DomainContext, booking: BookingRow): Promise<Date> {
  const [listing] = await ctx.db
    .select({ timezone: listings.timezone, checkOutTime: listings.checkOutTime })
    .from(listings)
    .where(eq(listings.id, booking.listingId));
  if (!listing) throw new Error(`listing ${booking.listingId} is gone`);
  return zonedInstant(addDays(booking.checkOut, REVIEW_WINDOW_DAYS), listing.checkOutTime, listing.timezone);
}

/**
 * Publishes pending reviews, in the caller's transaction: each guest review enters its listing's
 * rating in the same transaction, and each leaves a `review.published` outbox message (whom it is
 * about hears of it). Answers the rows as published; a review published already is left as it is.
 */
export async function publishReviews(ctx: DomainContext, ids: string[]): Promise<ReviewRow[]> {
  if (ids.length === 0) return [];
  const now = ctx.deps.clock.now();
  const published = await ctx.db
    .update(reviews)
    .set({ status: "published", publishedAt: now, updatedAt: now })
    .where(and(inArray(reviews.id, ids), eq(reviews.status, "pending")))
    .returning();
  for (const row of published) {
    await countInListing(ctx, row, 1);
    await addToOutbox(ctx, {
      topic: topics.reviewPublished,
      payload: { reviewId: row.id, bookingId: row.bookingId, side: row.side, at: now.toISOString() },
    });
  }
  return published;
}

/**
 * A page of published reviews matching `where`, newest first (keyset on publishedAt, id), as the
 * caller may see them.
 */
export async function publishedReviewPage(
  ctx: DomainContext,
  where: SQL | undefined,
  page: { limit: number; after?: NewestFirstPosition | undefined },
) {
  const rows = await ctx.db
    .select()
    .from(reviews)
    .where(
      and(
        where,
        eq(reviews.status, "published"),
        afterNewestFirst(reviews.publishedAt, reviews.id, page.after),
      ),
    )
    .orderBy(desc(reviews.publishedAt), desc(reviews.id))
    .limit(page.limit + 1);
  return publishedPageOf(ctx, rows, page.limit);
}

/** Up to `limit + 1` published reviews, newest first, as a page the caller may see. */
export function publishedPageOf(ctx: DomainContext, rows: ReviewRow[], limit: number) {
  return newestFirstPage(
    rows.map((row) => ({ row, createdAt: row.publishedAt ?? row.createdAt, id: row.id })),
    limit,
    ({ row }) => toReview(row, ctx.actor),
  );
}
