import { eq } from "drizzle-orm";
import { listings, reviews } from "../../db/schema/index.ts";
import type { BookingRow } from "../bookings/booking-view.ts";
import type { DomainContext } from "../context.ts";
import { reviewWindowCloses } from "../reviews/review-store.ts";
import { links } from "./links.ts";
import { readPeople } from "./people.ts";
import type { NotificationPlan, PlannedMail } from "./queue-mails.ts";
import { readStay } from "./stay-facts.ts";
import { renderMail } from "./templates/render.ts";
import { reviewPublished, reviewReminder } from "./templates/review-mails.ts";

const none: NotificationPlan = { mails: [] };

/** When a stay's reviews close: as its first review fixed it, else as the listing's clock says now. */
export async function reviewWindowOf(ctx: DomainContext, booking: BookingRow): Promise<Date> {
  const [first] = await ctx.db
    .select({ closes: reviews.windowClosesAt })
    .from(reviews)
    .where(eq(reviews.bookingId, booking.id))
    .limit(1);
  return first?.closes ?? (await reviewWindowCloses(ctx, booking));
}

/**
 * A few days before a stay's reviews close: a reminder to each side that has not reviewed, while
 * the window is open. The reminder is one outbox message per stay (named by the booking), so each
 * side hears it once.
 */
export async function planReviewReminder(
  ctx: DomainContext,
  eventId: string,
  input: { bookingId: string },
): Promise<NotificationPlan> {
  const stay = await readStay(ctx, input.bookingId);
  if (stay?.booking.status !== "completed") return none;
  const { booking, facts } = stay;
  const closes = await reviewWindowOf(ctx, booking);
  if (closes <= ctx.deps.clock.now()) return none;
  const written = await ctx.db
    .select({ side: reviews.side })
    .from(reviews)
    .where(eq(reviews.bookingId, booking.id));
  const people = await readPeople(ctx, [booking.guestId, booking.hostId]);
  const guest = people.get(booking.guestId);
  const host = people.get(booking.hostId);
  if (!guest || !host) return none;
  const url = links.review(ctx.deps.config, booking.id);
  const mails: PlannedMail[] = [];
  for (const side of ["guest", "host"] as const) {
    if (written.some((review) => review.side === side)) continue;
    const [you, other] = side === "guest" ? [guest, host] : [host, guest];
    mails.push({
      key: `${eventId}:${you.id}:review-reminder`,
      message: renderMail(you.email, reviewReminder({ side, you, other, stay: facts, closes, url })),
    });
  }
  return { mails };
}

/** A review became public: whom it is about hears of it (the host of a guest's, the guest of a host's). */
export async function planReviewPublished(
  ctx: DomainContext,
  eventId: string,
  input: { reviewId: string },
): Promise<NotificationPlan> {
  const [row] = await ctx.db
    .select({ review: reviews, listingTitle: listings.title })
    .from(reviews)
    .innerJoin(listings, eq(listings.id, reviews.listingId))
    .where(eq(reviews.id, input.reviewId))
    .limit(1);
  // An admin may have hidden it meanwhile.
  if (row?.review.status !== "published") return none;
  const { review, listingTitle } = row;
  const people = await readPeople(ctx, [review.authorId, review.subjectId]);
  const author = people.get(review.authorId);
  const subject = people.get(review.subjectId);
  if (!author || !subject) return none;
  const url =
    review.side === "guest"
      ? links.listing(ctx.deps.config, review.listingId)
      : links.profile(ctx.deps.config, review.subjectId);
  const document = reviewPublished({
    you: subject,
    author,
    side: review.side,
    listingTitle,
    rating: review.rating,
    comment: review.comment,
    url,
  });
  return {
    mails: [
      { key: `${eventId}:${subject.id}:review-published`, message: renderMail(subject.email, document) },
    ],
  };
}
