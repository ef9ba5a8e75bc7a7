import { and, eq } from "drizzle-orm";
import { bookingEvents } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { BookingRow } from "./booking-view.ts";

/**
 * What the guest pays for a stay called off once confirmed and paid for: the total less the
 * refund the cancellation set (`refundDue`). Undefined for any other booking, including one
 * cancelled before it was confirmed, which pays nothing.
 */
export async function keptOnCancellation(
  ctx: DomainContext,
  booking: BookingRow,
): Promise<number | undefined> {
  if (booking.status !== "cancelled" || !booking.paymentAuthorizedAt) return undefined;
  const [move] = await ctx.db
    .select({ id: bookingEvents.id })
    .from(bookingEvents)
    .where(
      and(
        eq(bookingEvents.bookingId, booking.id),
        eq(bookingEvents.fromStatus, "confirmed"),
        eq(bookingEvents.toStatus, "cancelled"),
      ),
    )
    .limit(1);
  if (!move) return undefined;
  return Math.max(0, booking.quote.total - (booking.refundDue ?? 0));
}
