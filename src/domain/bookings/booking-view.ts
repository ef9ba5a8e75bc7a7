import type { bookings } from "../../db/schema/index.ts";
import type { Actor } from "../context.ts";
import type { Booking } from "./booking-schemas.ts";

export type BookingRow = typeof bookings.$inferSelect;

/** A booking row as the API shows it. */
export function toBooking(row: BookingRow): Booking {
  return {
    id: row.id,
    listingId: row.listingId,
    guestId: row.guestId,
    hostId: row.hostId,
    checkIn: row.checkIn,
    checkOut: row.checkOut,
    guests: row.guests,
    status: row.status,
    quote: row.quote,
    message: row.message,
    conversationId: row.conversationId,
    holdExpiresAt: row.holdExpiresAt?.toISOString() ?? null,
    cancelledBy: row.cancelledBy,
    refundDue: row.refundDue,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Which side of a booking `actor` is on, if any. */
export function partyOf(actor: Actor | undefined, row: Pick<BookingRow, "guestId" | "hostId">) {
  if (!actor) return undefined;
  if (actor.userId === row.guestId) return "guest" as const;
  if (actor.userId === row.hostId) return "host" as const;
  if (actor.isAdmin) return "admin" as const;
  return undefined;
}
