import { eq } from "drizzle-orm";
import { reviews } from "../../db/schema/index.ts";
import { bookingNotFound, lockBooking } from "../bookings/booking-store.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError, invalidField } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import { forgetListings } from "./listing-ratings.ts";
import type { NewReview, Review } from "./review-schemas.ts";
import { publishReviews, reviewWindowCloses } from "./review-store.ts";
import { toReview } from "./review-view.ts";
import type { ReviewSide } from "./vocabulary.ts";

/**
 * The guest reviews a completed stay, or its host the guest, within 14 days of check-out; once per
 * side. The review stays hidden, from the other side too, until both have reviewed (this one
 * publishes both) or the window closes. The booking's row lock serialises the two sides, so two
 * reviews sent at once reveal both exactly once.
 */
export async function createReview({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: NewReview & { bookingId: string };
}): Promise<Review> {
  const actor = requireActor(ctx);
  const { bookingId, ...review } = input;
  const { row, published } = await withTransaction(ctx, async (ctx) => {
    const booking = await lockBooking(ctx, bookingId);
    const side: ReviewSide | undefined =
      actor.userId === booking.guestId ? "guest" : actor.userId === booking.hostId ? "host" : undefined;
    if (side === undefined) throw bookingNotFound();
    if (booking.status !== "completed") {
      throw new AppError("INVALID_STATE", "Only a completed stay can be reviewed.");
    }
    const now = ctx.deps.clock.now();
    const existing = await ctx.db
      .select({ id: reviews.id, side: reviews.side, status: reviews.status, closes: reviews.windowClosesAt })
      .from(reviews)
      .where(eq(reviews.bookingId, booking.id));
    const other = existing.find((r) => r.side !== side);
    // The first review fixes the stay's window: a host who moves the listing's check-out time or
    // time zone after reading a review published when it closed cannot open a window of their own.
    const closes = other?.closes ?? (await reviewWindowCloses(ctx, booking));
    if (now >= closes) {
      throw new AppError("INVALID_STATE", `The stay's reviews closed at ${closes.toISOString()}.`);
    }
    checkSide(side, review);
    if (existing.some((r) => r.side === side)) {
      throw new AppError("CONFLICT", "You reviewed this stay already: edit that review instead.");
    }
    const [inserted] = await ctx.db
      .insert(reviews)
      .values({
        id: ctx.deps.ids.next(),
        bookingId: booking.id,
        listingId: booking.listingId,
        side,
        authorId: actor.userId,
        subjectId: side === "guest" ? booking.hostId : booking.guestId,
        status: "pending",
        rating: review.rating,
        ...review.categories,
        comment: review.comment,
        privateNote: review.privateNote ?? null,
        wouldHostAgain: review.wouldHostAgain ?? null,
        windowClosesAt: closes,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!inserted) throw new Error("insert returned no row");
    // The second review reveals both.
    const published = other?.status === "pending" ? await publishReviews(ctx, [inserted.id, other.id]) : [];
    return { row: published.find((r) => r.id === inserted.id) ?? inserted, published };
  });
  await forgetListings(
    ctx,
    published.filter((r) => r.side === "guest").map((r) => r.listingId),
  );
  return toReview(row, actor);
}

/** What each side says: the guest rates the categories and may leave a private note; the host says whether they would host the guest again. */
export function checkSide(side: ReviewSide, review: Partial<NewReview>, creating = true): void {
  if (side === "guest") {
    if (creating && review.categories === undefined) {
      throw invalidField("categories", "Rate each category of the stay, 1–5");
    }
    if (review.wouldHostAgain !== undefined) {
      throw invalidField("wouldHostAgain", "Only the host says whether they would host the guest again");
    }
  } else {
    if (creating && review.wouldHostAgain === undefined) {
      throw invalidField("wouldHostAgain", "Say whether you would host this guest again");
    }
    if (review.categories !== undefined) throw invalidField("categories", "Only the guest rates the stay");
    if (review.privateNote !== undefined)
      throw invalidField("privateNote", "Only the guest leaves a private note");
  }
}
