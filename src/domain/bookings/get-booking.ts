import { eq } from "drizzle-orm";
import { bookings } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { Booking } from "./booking-schemas.ts";
import { bookingNotFound } from "./booking-store.ts";
import { partyOf, showBooking } from "./booking-view.ts";

/** The guest, the listing's host and admins see a booking; for anyone else it does not exist. */
export async function getBooking({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string };
}): Promise<Booking> {
  const actor = requireActor(ctx);
  const [row] = await ctx.db.select().from(bookings).where(eq(bookings.id, input.id)).limit(1);
  if (!row || partyOf(actor, row) === undefined) throw bookingNotFound();
  return showBooking(ctx, row);
}
