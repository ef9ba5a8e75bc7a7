import type { Database } from "../../src/db/database.ts";
import { bookings, calendarDays } from "../../src/db/schema/index.ts";
import type { Quote } from "../../src/domain/bookings/booking-schemas.ts";
import type { BookingStatus } from "../../src/domain/bookings/vocabulary.ts";

/**
 * Bookings and calendar dates written straight into the database, for tests that only need a
 * calendar to hold them (a search that must skip booked listings). What is under test still goes
 * through the API. The database's own guarantees (no overlapping holds, no hold on a blocked date)
 * still apply.
 */

export type BookingRow = typeof bookings.$inferInsert;
export type CalendarDayRow = typeof calendarDays.$inferInsert;

/** Rows per INSERT: 11 columns × 1,000 rows stays well under PostgreSQL's 65,535 parameters. */
const BATCH = 1_000;

export interface StayRow {
  listingId: string;
  hostId: string;
  guestId: string;
  checkIn: string;
  checkOut: string;
  status: BookingStatus;
}

/** A booking row; its quote is a placeholder, since nothing these tests read looks at it. */
export function bookingRow(stay: StayRow, at = new Date()): BookingRow {
  return {
    id: crypto.randomUUID(),
    guests: 1,
    quote: {} as Quote,
    createdAt: at,
    updatedAt: at,
    ...stay,
  };
}

export async function insertBookings(db: Database, stays: StayRow[]): Promise<void> {
  const rows = stays.map((stay) => bookingRow(stay));
  for (let i = 0; i < rows.length; i += BATCH) await db.insert(bookings).values(rows.slice(i, i + BATCH));
}

export async function insertCalendarDays(db: Database, days: CalendarDayRow[]): Promise<void> {
  for (let i = 0; i < days.length; i += BATCH) await db.insert(calendarDays).values(days.slice(i, i + BATCH));
}
