import type { bookings } from "../../db/schema/index.ts";
import type { Actor, DomainContext } from "../context.ts";
import { contactsSharedAmong } from "../messages/conversation-store.ts";
import { shownText } from "../messages/conversation-view.ts";
import type { Booking } from "./booking-schemas.ts";

export type BookingRow = typeof bookings.$inferSelect;

/** A booking row as the API shows it, with its message as the viewer may see it. */
function bookingOf(row: BookingRow, message: string | null): Booking {
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
    message,
    conversationId: row.conversationId,
    holdExpiresAt: row.holdExpiresAt?.toISOString() ?? null,
    cancelledBy: row.cancelledBy,
    refundDue: row.refundDue,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * How `ctx`'s actor sees these bookings. A booking's message is a message of the guest's
 * conversation with the host, so it is shown by the conversation's rule (`shownText`): its host
 * sees e-mail addresses and phone numbers hidden until a booking of that guest at that listing is
 * confirmed; its guest and admins see it as written. One query for every row that needs to know.
 */
export async function bookingViewer(
  ctx: DomainContext,
  rows: readonly BookingRow[],
): Promise<(row: BookingRow) => Booking> {
  const viewer = ctx.actor;
  // Only a message that would show masked needs to know whether contacts are shared.
  const hidesSomething = (row: BookingRow) =>
    row.message !== null && shownText(row.message, row.guestId, viewer, false).masked;
  const shared = await contactsSharedAmong(ctx, rows.filter(hidesSomething));
  return (row) =>
    bookingOf(
      row,
      row.message === null ? null : shownText(row.message, row.guestId, viewer, shared(row)).text,
    );
}

/** One booking as `ctx`'s actor sees it (see `bookingViewer`). */
export async function showBooking(ctx: DomainContext, row: BookingRow): Promise<Booking> {
  return (await bookingViewer(ctx, [row]))(row);
}

/** Which side of a booking `actor` is on, if any. */
export function partyOf(actor: Actor | undefined, row: Pick<BookingRow, "guestId" | "hostId">) {
  if (!actor) return undefined;
  if (actor.userId === row.guestId) return "guest" as const;
  if (actor.userId === row.hostId) return "host" as const;
  if (actor.isAdmin) return "admin" as const;
  return undefined;
}
