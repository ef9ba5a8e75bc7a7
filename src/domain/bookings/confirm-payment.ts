import { eq } from "drizzle-orm";
import { bookings } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import type { Booking } from "./booking-schemas.ts";
import { invalidState, lockBooking, moveBooking, refuseRunOutHold } from "./booking-store.ts";
import { showBooking } from "./booking-view.ts";

/**
 * The one way money enters a booking (the payments feature calls it once a payment is authorised):
 * a booking waiting for payment, or a request its host accepted, is confirmed; a request not yet
 * answered keeps waiting for its host, who then confirms it by accepting. Recording the same
 * payment twice changes nothing the second time.
 */
export async function confirmPayment({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { bookingId: string; reference: string };
}): Promise<Booking> {
  const row = await withTransaction(ctx, async (ctx) => {
    const booking = await lockBooking(ctx, input.bookingId);
    const now = ctx.deps.clock.now();
    const by = { role: "system" as const };
    const reason = `payment ${input.reference}`;
    if (booking.status === "confirmed" && booking.paymentAuthorizedAt) return booking;
    if (booking.status === "pending_payment" || booking.status === "requested") {
      refuseRunOutHold(booking, now, "paid for");
    }
    if (booking.status === "pending_payment") {
      return moveBooking(ctx, booking, { to: "confirmed", by, reason, set: { paymentAuthorizedAt: now } });
    }
    if (booking.status === "requested") {
      if (booking.paymentAuthorizedAt) return booking;
      const [updated] = await ctx.db
        .update(bookings)
        .set({ paymentAuthorizedAt: now, updatedAt: now })
        .where(eq(bookings.id, booking.id))
        .returning();
      return updated ?? booking;
    }
    throw invalidState(booking, "paid for");
  });
  return showBooking(ctx, row);
}
