import { type SQL, sql } from "drizzle-orm";
import { bookings, calendarDays, listings } from "../../db/schema/index.ts";
import { daysBetween } from "../bookings/local-time.ts";
import { dateHoldingStatuses } from "../bookings/vocabulary.ts";
import type { SearchedStay } from "./search-input.ts";
import type { Bindings } from "./search-parts.ts";

// Literals, not parameters: the exclusion constraint's GiST index covers exactly these statuses.
const holdingStatuses = sql.raw(dateHoldingStatuses.map((status) => `'${status}'`).join(", "));

/**
 * A dated search's conditions on each candidate listing, as bookings.quote would check the stay:
 * - the listing takes a stay of this many nights;
 * - the check-in is far enough ahead (advance notice) and not too far (booking window), counted
 *   from the listing's today: the search's instant on the listing's own clock (noticeAndWindow);
 * - no date-holding booking overlaps the stay: one probe of the exclusion constraint's GiST index
 *   (listing_id, daterange);
 * - no night of the stay is blocked: one range of the calendar's primary key (listing_id, day).
 */
export function availableFor(stay: SearchedStay, b: Bindings): SQL[] {
  const checkIn = sql`${b.bind("checkIn", stay.checkIn)}::date`;
  const checkOut = sql`${b.bind("checkOut", stay.checkOut)}::date`;
  const nights = b.bind("nights", stay.nights);
  return [
    sql`${listings.minNights} <= ${nights} and ${listings.maxNights} >= ${nights}`,
    ...noticeAndWindow(stay, checkIn, b),
    sql`not exists (select from ${bookings}
      where ${bookings.listingId} = ${listings.id} and ${bookings.status} in (${holdingStatuses})
        and daterange(${bookings.checkIn}, ${bookings.checkOut}, '[)') && daterange(${checkIn}, ${checkOut}, '[)'))`,
    sql`not exists (select from ${calendarDays}
      where ${calendarDays.listingId} = ${listings.id}
        and ${calendarDays.day} >= ${checkIn} and ${calendarDays.day} < ${checkOut} and ${calendarDays.blocked})`,
  ];
}

/**
 * `today + advanceNoticeDays <= checkIn <= today + bookingWindowDays`, where `today` is the listing's
 * date at the search's instant. The exact test reads each listing's time zone, and PostgreSQL can
 * only guess how many listings pass it, so low that it would rather read whole cities than a page
 * in order. Every listing's today is the UTC date (`utcToday`) or a day either side, so each test
 * is preceded by a bound on the column alone, which the column's statistics estimate, and settled
 * without the time zone wherever that bound already decides it. The result is the exact test's.
 */
function noticeAndWindow(stay: SearchedStay, checkIn: SQL, b: Bindings): SQL[] {
  const ahead = daysBetween(stay.now.toISOString().slice(0, 10), stay.checkIn);
  const today = sql`(${b.bind("now", stay.now.toISOString())}::timestamptz at time zone ${listings.timezone})::date`;
  const notice = listings.advanceNoticeDays;
  const window = listings.bookingWindowDays;
  return [
    sql`${notice} <= ${b.bind("noticeAtMost", ahead + 1)} and (${notice} <= ${b.bind("noticeSurely", ahead - 1)}
      or ${checkIn} >= ${today} + ${notice})`,
    sql`${window} >= ${b.bind("windowAtLeast", ahead - 1)} and (${window} >= ${b.bind("windowSurely", ahead + 1)}
      or ${checkIn} <= ${today} + ${window})`,
  ];
}
