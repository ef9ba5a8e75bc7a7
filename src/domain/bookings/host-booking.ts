import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { Move } from "./booking-store.ts";
import { bookingNotFound, lockBooking } from "./booking-store.ts";
import { type BookingRow, partyOf } from "./booking-view.ts";

/**
 * The booking `id`, locked, if the actor hosts its listing (or is an admin): a booking the actor
 * has no part in is as invisible as a missing one; its guest may see it but not answer it. `by`
 * names who answers, for the booking's history.
 */
export async function lockBookingToHost(
  ctx: DomainContext,
  id: string,
): Promise<{ booking: BookingRow; by: Move["by"] }> {
  const actor = requireActor(ctx);
  const row = await lockBooking(ctx, id);
  const party = partyOf(actor, row);
  if (party === undefined) throw bookingNotFound();
  if (party === "guest") throw new AppError("FORBIDDEN", "Only the listing's host may answer a request.");
  return { booking: row, by: { role: party, userId: actor.userId } };
}
