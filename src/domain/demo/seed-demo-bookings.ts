import { bookingEvents, bookings, calendarDays } from "../../db/schema/index.ts";
import { addDays, datesBetween, localDate } from "../bookings/local-time.ts";
import { priceStay } from "../bookings/price-stay.ts";
import { refundSchedule } from "../bookings/refund-schedule.ts";
import { platformRates } from "../bookings/stay-quote.ts";
import type { BookingStatus } from "../bookings/vocabulary.ts";
import type { DomainContext } from "../context.ts";
import type { ListingRow } from "../listings/listing-view.ts";
import { appendMessage, openConversation } from "../messages/conversation-store.ts";

const DAY_MS = 86_400_000;

/** The guest's stays, in days from today: one past, one under way, and three to come. */
const stays: Array<{
  listing: number;
  from: number;
  nights: number;
  status: BookingStatus;
  bookedDaysAgo: number;
}> = [
  // Checked out 6 days ago: still within its 14 days for reviews.
  { listing: 0, from: -10, nights: 4, status: "completed", bookedDaysAgo: 60 },
  { listing: 1, from: -1, nights: 4, status: "confirmed", bookedDaysAgo: 30 },
  { listing: 0, from: 14, nights: 7, status: "confirmed", bookedDaysAgo: 2 },
  { listing: 1, from: 40, nights: 3, status: "pending_payment", bookedDaysAgo: 0 },
  { listing: 2, from: 21, nights: 3, status: "requested", bookedDaysAgo: 0 },
];

/**
 * A calendar worth looking at on `npm start`: the guest's stays at the demo listings (each with the
 * quote it was booked at, its history and its conversation), a blocked week and dearer weekend
 * nights. The request for Nice comes with a question the host has answered, the guest's phone
 * number in it hidden from the host until the host accepts.
 */
export async function seedDemoBookings(
  ctx: DomainContext,
  listings: ListingRow[],
  guestId: string,
): Promise<void> {
  const now = ctx.deps.clock.now();
  const rates = platformRates(ctx.deps.config);
  for (const plan of stays) {
    const listing = listings[plan.listing];
    if (!listing) continue;
    const today = localDate(now, listing.timezone);
    const checkIn = addDays(today, plan.from);
    const checkOut = addDays(checkIn, plan.nights);
    const bookedAt = new Date(now.getTime() - plan.bookedDaysAgo * DAY_MS);
    const nightly = datesBetween(checkIn, checkOut).map((date) => ({ date, price: listing.nightlyPrice }));
    const price = priceStay(listing, nightly, rates);
    const cancellation = refundSchedule({
      ...listing,
      policy: listing.cancellationPolicy,
      checkIn,
      bookedAt,
      total: price.total,
    });
    const holds = plan.status === "pending_payment" || plan.status === "requested";
    const conversation = await openConversation(ctx, {
      listingId: listing.id,
      guestId,
      hostId: listing.hostId,
    });
    const [row] = await ctx.db
      .insert(bookings)
      .values({
        id: ctx.deps.ids.next(),
        listingId: listing.id,
        guestId,
        hostId: listing.hostId,
        checkIn,
        checkOut,
        guests: 2,
        status: plan.status,
        quote: { listingId: listing.id, checkIn, checkOut, guests: 2, ...price, cancellation },
        message: null,
        conversationId: conversation.id,
        holdExpiresAt: holds
          ? new Date(now.getTime() + (plan.status === "requested" ? DAY_MS : 15 * 60_000))
          : null,
        paymentAuthorizedAt: holds ? null : bookedAt,
        createdAt: bookedAt,
        updatedAt: bookedAt,
      })
      .returning();
    if (!row) continue;
    await ctx.db.insert(bookingEvents).values({
      id: ctx.deps.ids.next(),
      bookingId: row.id,
      actorId: guestId,
      actorRole: "guest",
      fromStatus: null,
      toStatus: plan.status,
      reason: "demo data",
      at: bookedAt,
    });
    if (plan.status === "requested") {
      await appendMessage(ctx, conversation, {
        senderId: guestId,
        text: "Hello! We land at 21:00: is a late check-in fine? You can reach me on +33 6 12 34 56 78.",
      });
      await appendMessage(ctx, conversation, {
        senderId: listing.hostId,
        text: "Of course: there is a key box. I'll send you its code once the stay is confirmed.",
      });
    }
  }
  const lisbon = listings[0];
  if (!lisbon) return;
  const today = localDate(now, lisbon.timezone);
  const blocked = datesBetween(addDays(today, 30), addDays(today, 37)).map((day) => ({
    listingId: lisbon.id,
    day,
    blocked: true,
  }));
  const weekends = datesBetween(today, addDays(today, 60))
    .filter((day) => [5, 6].includes(new Date(day).getUTCDay()))
    .filter((day) => !blocked.some((b) => b.day === day))
    .map((day) => ({ listingId: lisbon.id, day, price: 14_000 }));
  await ctx.db.insert(calendarDays).values([...blocked, ...weekends]);
}
