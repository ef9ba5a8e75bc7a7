import { type DomainContext, withTransaction } from "../context.ts";
import { settlePaymentAfter } from "../payments/settle-payment.ts";
import type { Booking } from "./booking-schemas.ts";
import { invalidState, moveBooking, refuseRunOutHold } from "./booking-store.ts";
import { showBooking } from "./booking-view.ts";
import { lockBookingToHost } from "./host-booking.ts";

const MINUTE_MS = 60_000;

/**
 * The host accepts a request. With its payment authorised already it is confirmed; otherwise it
 * waits for payment, holding its dates for the payment window from now.
 */
export async function acceptBooking({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string };
}): Promise<Booking> {
  const row = await withTransaction(ctx, async (ctx) => {
    const { booking, by } = await lockBookingToHost(ctx, input.id);
    if (booking.status !== "requested") throw invalidState(booking, "accepted");
    const now = ctx.deps.clock.now();
    refuseRunOutHold(booking, now, "accepted");
    if (booking.paymentAuthorizedAt) {
      return moveBooking(ctx, booking, { to: "confirmed", by, set: { acceptedAt: now } });
    }
    const holdExpiresAt = new Date(now.getTime() + ctx.deps.config.PAYMENT_WINDOW_MINUTES * MINUTE_MS);
    return moveBooking(ctx, booking, { to: "pending_payment", by, set: { acceptedAt: now, holdExpiresAt } });
  });
  if (row.holdExpiresAt) await ctx.deps.calendarLock.wakeAt(row.listingId, row.holdExpiresAt);
  await settlePaymentAfter(ctx, row.id);
  return showBooking(ctx, row);
}
