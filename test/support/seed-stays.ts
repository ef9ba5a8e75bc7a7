import { sql } from "drizzle-orm";
import type { Database } from "../../src/db/database.ts";
import { addDays } from "../../src/domain/bookings/local-time.ts";
import type { BookingStatus } from "../../src/domain/bookings/vocabulary.ts";
import { type CalendarDayRow, insertBookings, insertCalendarDays, type StayRow } from "./calendar-rows.ts";
import { insertUser } from "./factories.ts";
import { createRng, hashString, type Rng } from "./prng.ts";
import { DEFAULT_SEED, generateListings, type ListingRow } from "./seed.ts";

/**
 * Calendars for the listings `seedListings` made, as a busy marketplace has them around `today`:
 * past stays (completed, some cancelled), future ones in every state (mostly confirmed, some
 * requested, awaiting payment, cancelled, expired or declined), gaps the host blocked, weekend
 * prices, and some hosts asking for notice or taking stays only a few months ahead. A stay of a
 * few nights two weeks out finds about half the listings free. Same seed, same calendars.
 */

export interface StaySeedOptions {
  /** The `count` and `seed` `seedListings` was given. */
  count: number;
  seed?: number;
  /** The date the calendars are filled around (`YYYY-MM-DD`). */
  today: string;
  /** How far ahead calendars are filled, in days (default 90). */
  horizonDays?: number;
}

export interface StaySeedResult {
  bookings: number;
  calendarDays: number;
}

const futureStatuses: BookingStatus[] = [
  "confirmed",
  "requested",
  "pending_payment",
  "cancelled",
  "expired",
  "declined",
];
const futureOdds = [70, 8, 5, 10, 5, 2];

/** One listing's bookings and dates, each stay after the last (holds never overlap). */
function calendarOf(listing: ListingRow, guestId: string, today: string, horizon: number, rng: Rng) {
  const stays: StayRow[] = [];
  const days = new Map<string, CalendarDayRow>();
  const end = addDays(today, horizon);
  const weekendPrices = rng.chance(0.15);
  let cursor = addDays(today, -rng.int(20, 60));
  for (;;) {
    const checkIn = addDays(cursor, rng.int(0, 40));
    const checkOut = addDays(checkIn, rng.int(2, 9));
    if (checkOut > end) break;
    if (checkIn > today && addDays(cursor, 3) < checkIn && rng.chance(0.06)) {
      // The host blocks the gap before this stay (at most 10 days of it).
      for (let day = cursor; day < checkIn && day < addDays(cursor, 10); day = addDays(day, 1)) {
        days.set(day, { listingId: listing.id, day, blocked: true });
      }
    }
    const status: BookingStatus =
      checkOut <= today
        ? rng.chance(0.85)
          ? "completed"
          : "cancelled"
        : checkIn <= today
          ? "confirmed"
          : (futureStatuses[rng.weighted(futureOdds)] ?? "confirmed");
    stays.push({ listingId: listing.id, hostId: listing.hostId, guestId, checkIn, checkOut, status });
    cursor = checkOut;
  }
  if (weekendPrices) {
    for (let day = today; day < end; day = addDays(day, 1)) {
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      if (weekday !== 5 && weekday !== 6) continue;
      const price = Math.round((listing.nightlyPrice * 1.2) / 100) * 100;
      days.set(day, { listingId: listing.id, day, blocked: days.get(day)?.blocked ?? false, price });
    }
  }
  return { stays, days: [...days.values()] };
}

/** Notice and booking window: most hosts keep the defaults (0 and 365 days). */
function settingsOf(rng: Rng): { advanceNoticeDays: number; bookingWindowDays: number } {
  return {
    advanceNoticeDays: [0, 0, 0, 1, 2, 3, 7][rng.int(0, 6)] ?? 0,
    bookingWindowDays: [365, 365, 365, 365, 180, 90, 30][rng.int(0, 6)] ?? 365,
  };
}

/**
 * Writes the calendars of the published listings of the data set `seedListings(count, seed)`
 * wrote, and their hosts' notice and window settings, then VACUUM ANALYZEs the tables (call it
 * outside a transaction).
 */
export async function seedStays(db: Database, options: StaySeedOptions): Promise<StaySeedResult> {
  const seed = options.seed ?? DEFAULT_SEED;
  const horizon = options.horizonDays ?? 90;
  const guest = await insertUser(db, { name: "Seeded guest" });
  const stays: StayRow[] = [];
  const days: CalendarDayRow[] = [];
  const bySettings = new Map<string, string[]>();
  for (const listing of generateListings(options.count, seed)) {
    if (listing.status !== "published") continue;
    const rng = createRng(hashString(`stays:${seed}:${listing.id}`));
    const calendar = calendarOf(listing, guest.id, options.today, horizon, rng);
    stays.push(...calendar.stays);
    days.push(...calendar.days);
    const key = JSON.stringify(settingsOf(rng));
    const group = bySettings.get(key) ?? [];
    group.push(listing.id);
    bySettings.set(key, group);
  }
  await db.transaction(async (tx) => {
    await insertBookings(tx, stays);
    await insertCalendarDays(tx, days);
    for (const [key, ids] of bySettings) {
      const { advanceNoticeDays, bookingWindowDays } = JSON.parse(key) as ReturnType<typeof settingsOf>;
      await tx.execute(sql`update listings set advance_notice_days = ${advanceNoticeDays},
        booking_window_days = ${bookingWindowDays} where id = any(${`{${ids.join(",")}}`}::text[])`);
    }
  });
  for (const table of ["bookings", "calendar_days", "listings"]) {
    await db.execute(sql`vacuum (analyze) ${sql.identifier(table)}`);
  }
  return { bookings: stays.length, calendarDays: days.length };
}
