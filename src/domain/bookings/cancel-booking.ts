import { type DomainContext, withTransaction } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import { lockPayment } from "../payments/payment-store.ts";
import { settlePaymentAfter } from "../payments/settle-payment.ts";
import type { Booking } from "./booking-schemas.ts";
import { bookingNotFound, invalidState, lockBooking, moveBooking } from "./booking-store.ts";
import { partyOf, showBooking } from "./booking-view.ts";
import { localDate } from "./local-time.ts";
import { refundAt } from "./refund-schedule.ts";

const cancellable = ["requested", "pending_payment", "confirmed"] as const;

/**
 * The guest or the host calls a booking off, up to the end of the stay; its dates are free again.
 * A guest's refund follows the schedule the booking was quoted with, read at this moment; a host's
 * (or an admin's) cancellation refunds in full. Nothing was paid for a booking not yet confirmed,
 * nor for one whose authorisation Stripe canceled before its capture went through.
 */
export async function cancelBooking({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; reason?: string | undefined };
}): Promise<Booking> {
  const actor = requireActor(ctx);
  const row = await withTransaction(ctx, async (ctx) => {
    const booking = await lockBooking(ctx, input.id);
    const party = partyOf(actor, booking);
    if (party === undefined) throw bookingNotFound();
    if (!(cancellable as readonly string[]).includes(booking.status))
      throw invalidState(booking, "cancelled");
    const now = ctx.deps.clock.now();
    if (localDate(now, booking.quote.cancellation.timezone) >= booking.checkOut) {
      throw invalidState(booking, "cancelled after its stay");
    }
    // Confirmed, unless Stripe canceled its authorisation before capture: then nothing was charged.
    const payment = await lockPayment(ctx, booking.id);
    const paid = booking.status === "confirmed" && payment?.status !== "canceled";
    const refundDue = !paid
      ? 0
      : party === "guest"
        ? refundAt(booking.quote.cancellation, now)
        : booking.quote.total;
    return moveBooking(ctx, booking, {
      to: "cancelled",
      by: { role: party, userId: actor.userId },
      reason: input.reason,
      set: { cancelledBy: party, refundDue },
    });
  });
  await settlePaymentAfter(ctx, row.id);
  return showBooking(ctx, row);
}
