import type { Database } from "../../db/database.ts";
import type { ListingRow } from "../listings/listing-view.ts";
import type { DayRow } from "./calendar-changes.ts";
import type { DateRange } from "./calendar-rules.ts";
import type { Calendar } from "./calendar-schemas.ts";
import { calendarDaysIn, holdingBookingsIn } from "./calendar-store.ts";
import { datesBetween } from "./local-time.ts";

export type CalendarListing = Pick<ListingRow, "id" | "timezone" | "currency" | "nightlyPrice" | "minNights">;

/**
 * The calendar of `listing` over `range`, from its calendar_days rows and the stays of its
 * date-holding bookings. A booked date says only that it is booked: never by whom.
 */
export function toCalendar(
  listing: CalendarListing,
  range: DateRange,
  days: DayRow[],
  stays: Array<{ checkIn: string; checkOut: string }>,
): Calendar {
  const rows = new Map(days.map((row) => [row.day, row]));
  const booked = (date: string) => stays.some((s) => s.checkIn <= date && date < s.checkOut);
  return {
    listingId: listing.id,
    timezone: listing.timezone,
    currency: listing.currency,
    from: range.from,
    to: range.to,
    days: datesBetween(range.from, range.to).map((date) => {
      const row = rows.get(date);
      return {
        date,
        status: booked(date) ? "booked" : row?.blocked ? "blocked" : "available",
        price: row?.price ?? listing.nightlyPrice,
        minNights: listing.minNights,
      };
    }),
  };
}

/** Reads the calendar of `listing` over `range` (inside a transaction, what it has written). */
export async function readCalendar(
  db: Database,
  listing: CalendarListing,
  range: DateRange,
): Promise<Calendar> {
  const days = await calendarDaysIn(db, listing.id, range.from, range.to);
  const stays = await holdingBookingsIn(db, listing.id, range.from, range.to);
  return toCalendar(listing, range, days, stays);
}
