import { eq } from "drizzle-orm";
import { bookings, listings } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import { listingNotFound } from "../listings/listing-store.ts";
import { appendMessage, openConversation } from "../messages/conversation-store.ts";
import { limitMessagesOf } from "../messages/limits.ts";
import type { Booking, NewBooking } from "./booking-schemas.ts";
import { recordEvent } from "./booking-store.ts";
import { showBooking } from "./booking-view.ts";
import { quoteStayAt } from "./stay-quote.ts";

const MINUTE_MS = 60_000;

export const bookingConflict = () =>
  new AppError("BOOKING_CONFLICT", "Those dates were just taken by another booking or block.");

/**
 * A guest books a stay at the price quoted now, which the booking keeps. Instant-book listings
 * hold the dates for payment (`pending_payment`); the others for the host's answer (`requested`).
 * The listing's calendar lock, then its row lock, serialise bookings of one listing; the exclusion
 * constraint settles any race they miss. The booking opens the guest's conversation with the host
 * (or joins the one an enquiry opened), and its message, if any, is sent there. `beforeCommit`
 * runs in the booking's transaction with the new booking: what must commit with it or not at all
 * (the replay of an `Idempotency-Key`).
 */
export async function createBooking({
  ctx,
  input,
  beforeCommit,
}: {
  ctx: DomainContext;
  input: NewBooking;
  beforeCommit?: ((ctx: DomainContext, booking: Booking) => Promise<void>) | undefined;
}): Promise<Booking> {
  const actor = requireActor(ctx);
  const { message, ...stay } = input;
  if (message !== undefined) await limitMessagesOf(ctx, actor.userId);
  const row = await ctx.deps.calendarLock.withLock(stay.listingId, () =>
    withTransaction(ctx, async (ctx) => {
      const [listing] = await ctx.db
        .select()
        .from(listings)
        .where(eq(listings.id, stay.listingId))
        .limit(1)
        .for("update");
      if (listing?.status !== "published") throw listingNotFound();
      if (listing.hostId === actor.userId) {
        throw new AppError("FORBIDDEN", "Hosts cannot book their own listing.");
      }
      const quote = await quoteStayAt(ctx, listing, stay, bookingConflict);
      const now = ctx.deps.clock.now();
      const { PAYMENT_WINDOW_MINUTES, HOST_RESPONSE_HOURS } = ctx.deps.config;
      const holdMinutes = listing.instantBook ? PAYMENT_WINDOW_MINUTES : HOST_RESPONSE_HOURS * 60;
      const conversation = await openConversation(ctx, {
        listingId: listing.id,
        guestId: actor.userId,
        hostId: listing.hostId,
      });
      const [inserted] = await ctx.db
        .insert(bookings)
        .values({
          id: ctx.deps.ids.next(),
          listingId: listing.id,
          guestId: actor.userId,
          hostId: listing.hostId,
          checkIn: stay.checkIn,
          checkOut: stay.checkOut,
          guests: stay.guests,
          status: listing.instantBook ? "pending_payment" : "requested",
          quote,
          message: message ?? null,
          conversationId: conversation.id,
          holdExpiresAt: new Date(now.getTime() + holdMinutes * MINUTE_MS),
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!inserted) throw new Error("insert returned no row");
      await recordEvent(ctx, inserted, null, { by: { role: "guest", userId: actor.userId } });
      if (message) await appendMessage(ctx, conversation, { senderId: actor.userId, text: message });
      await beforeCommit?.(ctx, await showBooking(ctx, inserted));
      return inserted;
    }),
  );
  if (row.holdExpiresAt) await ctx.deps.calendarLock.wakeAt(row.listingId, row.holdExpiresAt);
  return showBooking(ctx, row);
}
