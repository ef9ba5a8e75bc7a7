import { and, asc, eq, inArray, lte, type SQL } from "drizzle-orm";
import { bookings, listings } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { moveBooking } from "./booking-store.ts";
import { addDays, zonedInstant } from "./local-time.ts";

const BATCH = 100;

/**
 * Moves bookings on in time, with no request arriving: holds that ran out expire (their dates are
 * free again), and confirmed stays end (`completed`) at check-out time where the listing is. Run
 * by the periodic tick, and on Workers by the listing's Durable Object alarm (`listingId`). Safe to
 * run twice at once: each run takes the rows the other has not locked, and checks each row's state
 * under its lock.
 */
export async function settleBookings({
  ctx,
  input = {},
}: {
  ctx: DomainContext;
  input?: { listingId?: string | undefined };
}): Promise<{ expired: number; completed: number }> {
  const now = ctx.deps.clock.now();
  const ofListing = (column: typeof bookings.listingId): SQL | undefined =>
    input.listingId ? eq(column, input.listingId) : undefined;
  const system = { role: "system" as const };

  const expired = await withTransaction(ctx, async (ctx) => {
    const due = await ctx.db
      .select()
      .from(bookings)
      .where(
        and(
          inArray(bookings.status, ["requested", "pending_payment"]),
          lte(bookings.holdExpiresAt, now),
          ofListing(bookings.listingId),
        ),
      )
      .orderBy(asc(bookings.holdExpiresAt))
      .limit(BATCH)
      .for("update", { skipLocked: true });
    for (const booking of due) {
      const reason =
        booking.status === "requested" ? "the host did not answer in time" : "payment did not arrive in time";
      await moveBooking(ctx, booking, { to: "expired", by: system, reason });
    }
    return due.length;
  });

  const completed = await withTransaction(ctx, async (ctx) => {
    // Check-out dates up to tomorrow (UTC) may have passed somewhere; each is checked in its zone.
    const candidates = await ctx.db
      .select({ booking: bookings, timezone: listings.timezone, checkOutTime: listings.checkOutTime })
      .from(bookings)
      .innerJoin(listings, eq(listings.id, bookings.listingId))
      .where(
        and(
          eq(bookings.status, "confirmed"),
          lte(bookings.checkOut, addDays(now.toISOString().slice(0, 10), 1)),
          ofListing(bookings.listingId),
        ),
      )
      .orderBy(asc(bookings.checkOut))
      .limit(BATCH)
      .for("update", { of: bookings, skipLocked: true });
    let count = 0;
    for (const { booking, timezone, checkOutTime } of candidates) {
      if (zonedInstant(booking.checkOut, checkOutTime, timezone) > now) continue;
      await moveBooking(ctx, booking, { to: "completed", by: system, reason: "the stay ended" });
      count++;
    }
    return count;
  });

  return { expired, completed };
}
