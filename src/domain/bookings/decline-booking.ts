import { type DomainContext, withTransaction } from "../context.ts";
import { settlePaymentAfter } from "../payments/settle-payment.ts";
import type { Booking } from "./booking-schemas.ts";
import { invalidState, moveBooking } from "./booking-store.ts";
import { showBooking } from "./booking-view.ts";
import { lockBookingToHost } from "./host-booking.ts";

/** The host turns a request down; its dates are free again. */
export async function declineBooking({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; reason?: string | undefined };
}): Promise<Booking> {
  const row = await withTransaction(ctx, async (ctx) => {
    const { booking, by } = await lockBookingToHost(ctx, input.id);
    if (booking.status !== "requested") throw invalidState(booking, "declined");
    return moveBooking(ctx, booking, { to: "declined", by, reason: input.reason });
  });
  await settlePaymentAfter(ctx, row.id);
  return showBooking(ctx, row);
}
