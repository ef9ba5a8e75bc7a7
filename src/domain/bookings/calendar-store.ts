import { and, asc, eq, gt, gte, inArray, lt } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { bookings, calendarDays } from "../../db/schema/index.ts";
import { dateHoldingStatuses } from "./vocabulary.ts";

/** The listing's bookings that hold their dates. */
const holdingOf = (listingId: string) =>
  and(eq(bookings.listingId, listingId), inArray(bookings.status, [...dateHoldingStatuses]));

/** The dates of a listing in `[from, to)` that differ from its defaults (blocked, or priced). */
export function calendarDaysIn(db: Database, listingId: string, from: string, to: string) {
  return db
    .select({
      day: calendarDays.day,
      blocked: calendarDays.blocked,
      price: calendarDays.price,
      importId: calendarDays.importId,
    })
    .from(calendarDays)
    .where(and(eq(calendarDays.listingId, listingId), gte(calendarDays.day, from), lt(calendarDays.day, to)))
    .orderBy(asc(calendarDays.day));
}

/** The date-holding bookings of a listing with a night in `[from, to)`. */
export function holdingBookingsIn(db: Database, listingId: string, from: string, to: string) {
  return db
    .select({ id: bookings.id, checkIn: bookings.checkIn, checkOut: bookings.checkOut })
    .from(bookings)
    .where(and(holdingOf(listingId), lt(bookings.checkIn, to), gt(bookings.checkOut, from)))
    .orderBy(asc(bookings.checkIn));
}

/** Whether any night in `[from, to)` is blocked or held by a booking. */
export async function datesTaken(
  db: Database,
  listingId: string,
  from: string,
  to: string,
): Promise<boolean> {
  const [held] = await holdingBookingsIn(db, listingId, from, to).limit(1);
  if (held) return true;
  const [blocked] = await db
    .select({ day: calendarDays.day })
    .from(calendarDays)
    .where(
      and(
        eq(calendarDays.listingId, listingId),
        gte(calendarDays.day, from),
        lt(calendarDays.day, to),
        eq(calendarDays.blocked, true),
      ),
    )
    .limit(1);
  return blocked !== undefined;
}

/** Whether a date-holding booking of the listing has a night on or after `today`. */
export async function hasUpcomingStays(db: Database, listingId: string, today: string): Promise<boolean> {
  const [held] = await db
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(holdingOf(listingId), gt(bookings.checkOut, today)))
    .limit(1);
  return held !== undefined;
}
