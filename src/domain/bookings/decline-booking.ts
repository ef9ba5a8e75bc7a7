import { type DomainContext, withTransaction } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { Booking } from "./booking-schemas.ts";
import { invalidState, moveBooking } from "./booking-store.ts";
import { toBooking } from "./booking-view.ts";
import { lockBookingToHost } from "./host-booking.ts";

/** The host turns a request down; its dates are free again. */
export async function declineBooking({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; reason?: string | undefined };
}): Promise<Booking> {
  const actor = requireActor(ctx);
  const row = await withTransaction(ctx, async (ctx) => {
    const booking = await lockBookingToHost(ctx, input.id);
    if (booking.status !== "requested") throw invalidState(booking, "declined");
    const role = actor.userId === booking.hostId ? ("host" as const) : ("admin" as const);
    return moveBooking(ctx, booking, {
      to: "declined",
      by: { role, userId: actor.userId },
      reason: input.reason,
    });
  });
  return toBooking(row);
}
