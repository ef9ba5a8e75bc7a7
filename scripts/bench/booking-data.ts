import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../src/db/database.ts";
import { addDays } from "../../src/domain/bookings/local-time.ts";
import { BENCH_EMAIL_DOMAIN, DUMMY_PASSWORD_HASH } from "../../test/support/seed.ts";

/**
 * The rows the booking scenarios need besides the seeded catalogue: guests with a live session
 * each (their access tokens are minted by the bench, never signed in through PBKDF2), listings
 * that take stays 60–300 days ahead, and, for the searches with dates, booked and blocked nights
 * starting 14–28 days ahead. Every guest's e-mail is a bench e-mail, so `--reseed` removes them too.
 */

export interface BookingGuest {
  userId: string;
  sessionId: string;
}

export interface StayListing {
  id: string;
  hostId: string;
  minNights: number;
  maxNights: number;
  maxGuests: number;
  instantBook: boolean;
}

export interface BookingFixtures {
  /** The UTC date the bench started on: every stay is placed relative to it. */
  today: string;
  guests: BookingGuest[];
  /** Published listings that take a stay 60–300 days ahead, in a fixed pseudo-random order. */
  listings: StayListing[];
}

const GUESTS = 32;
const STAY_LISTINGS = 1_001;
/** The first nights of the seeded stays and blocks, in days from today (all end before day 36). */
export const SEEDED_CHECK_INS = { from: 14, to: 28 } as const;

async function rows<T>(db: Database, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

const guestEmail = (seed: number, n: string) => `guest-${seed}-${n}@${BENCH_EMAIL_DOMAIN}`;
/** The one guest of the seeded stays, apart from the guests whose bookings the storms delete. */
const staysEmail = (seed: number) => guestEmail(seed, "stays");

/** The bench guests (created once), a new session each, and the listings to book. */
export async function prepareBookingFixtures(db: Database, seed: number): Promise<BookingFixtures> {
  const names = [...Array.from({ length: GUESTS }, (_, i) => String(i).padStart(2, "0")), "stays"];
  for (const name of names) {
    await db.execute(sql`insert into users (id, email, password_hash, name, created_at, updated_at)
      values (gen_random_uuid()::text, ${guestEmail(seed, name)}, ${DUMMY_PASSWORD_HASH}, ${`Bench guest ${name}`}, now(), now())
      on conflict do nothing`);
  }
  const emails = names.slice(0, GUESTS).map((name) => guestEmail(seed, name));
  const ids = (
    await rows<{ id: string }>(
      db,
      sql`select id from users where email in ${emails} order by email`, // the order of `names`
    )
  ).map((row) => row.id);
  await db.execute(sql`delete from sessions where user_id in ${ids}`);
  const guests = await rows<BookingGuest>(
    db,
    sql`insert into sessions (id, user_id, created_at, last_used_at)
        select gen_random_uuid()::text, id, now(), now() from users where id in ${ids}
        returning user_id as "userId", id as "sessionId"`,
  );
  const listings = await rows<StayListing>(
    db,
    sql`select id, host_id as "hostId", min_nights as "minNights", max_nights as "maxNights",
          max_guests as "maxGuests", instant_book as "instantBook"
        from listings
        where status = 'published' and min_nights <= 7 and advance_notice_days <= 30
          and booking_window_days >= 330
        order by md5(id || 'stays') limit ${STAY_LISTINGS}`,
  );
  if (listings.length < STAY_LISTINGS) throw new Error(`only ${listings.length} listings take bench stays`);
  return { today: new Date().toISOString().slice(0, 10), guests, listings };
}

const theirs = "select id from bookings where guest_id = any($1::text[])";
/** What the storms leave behind, for `$1` the bench guests' ids: bookings, history, outbox rows. */
export const DELETE_GUEST_BOOKINGS = [
  `delete from payments where booking_id in (${theirs})`,
  `delete from booking_events where booking_id in (${theirs})`,
  `delete from outbox where topic = 'booking.changed' and payload->>'bookingId' in (${theirs})`,
  "delete from bookings where guest_id = any($1::text[])",
];

/**
 * Seeds the nights the searches with dates filter on, for today: 60% of published listings have a
 * confirmed stay of 2–7 nights and 10% (others) three blocked nights, starting 14–28 days ahead.
 * Kept if an earlier run seeded them today; else that run's stays and every bench listing's
 * calendar days are removed and seeded afresh.
 */
export async function seedBookedNights(
  db: Database,
  seed: number,
  today: string,
): Promise<{ stays: number; blocked: number; kept: boolean }> {
  const [guest] = await rows<{ id: string }>(db, sql`select id from users where email = ${staysEmail(seed)}`);
  if (!guest) throw new Error("the bench's stays guest is missing");
  const [earlier] = await rows<{ first: string | null; stays: number; blocked: number }>(
    db,
    sql`select (select min(check_in)::text from bookings where guest_id = ${guest.id}) as first,
          (select count(*)::int from bookings where guest_id = ${guest.id}) as stays,
          (select count(*)::int from calendar_days where blocked) as blocked`,
  );
  if (earlier?.first === addDays(today, SEEDED_CHECK_INS.from) && earlier.blocked > 0) {
    return { stays: earlier.stays, blocked: earlier.blocked, kept: true };
  }
  await db.execute(sql`delete from bookings where guest_id = ${guest.id}`);
  await db.execute(sql`delete from calendar_days where listing_id in (${benchListings()})`);
  // h: a fixed pseudo-random number per listing; which bits pick what is arbitrary but fixed.
  const hashed = sql`select id, host_id, hashtext(id || 'nights') & 2147483647 as h
    from listings where status = 'published'`;
  const from = sql`${today}::date + ${SEEDED_CHECK_INS.from}::int`;
  const span = SEEDED_CHECK_INS.to - SEEDED_CHECK_INS.from + 1;
  const [stays] = await rows<{ n: number }>(
    db,
    sql`with inserted as (
          insert into bookings (id, listing_id, guest_id, host_id, check_in, check_out, guests, status, quote, created_at, updated_at)
          select gen_random_uuid()::text, id, ${guest.id}, host_id, ${from} + h % ${span}::int,
            ${from} + h % ${span}::int + 2 + (h >> 5) % 6, 1, 'confirmed', '{}'::jsonb, now(), now()
          from (${hashed}) l where (h >> 10) % 10 < 6
          returning 1)
        select count(*)::int as n from inserted`,
  );
  const [blocked] = await rows<{ n: number }>(
    db,
    sql`with inserted as (
          insert into calendar_days (listing_id, day, blocked)
          select id, ${from} + (h >> 14) % ${span}::int + d, true
          from (${hashed}) l cross join generate_series(0, 2) d where (h >> 10) % 10 = 9
          returning 1)
        select count(*)::int as n from inserted`,
  );
  await db.execute(sql`vacuum (analyze) bookings`);
  await db.execute(sql`vacuum (analyze) calendar_days`);
  return { stays: stays?.n ?? 0, blocked: blocked?.n ?? 0, kept: false };
}

function benchListings(): SQL {
  return sql`select l.id from listings l join users h on h.id = l.host_id
    where h.email like ${`%@${BENCH_EMAIL_DOMAIN}`}`;
}

/** Before `--reseed` deletes the bench listings: everything booked or blocked on them. */
export async function deleteBenchStays(db: Database): Promise<void> {
  const theirs = sql`select id from bookings where listing_id in (${benchListings()})`;
  await db.execute(sql`delete from payments where booking_id in (${theirs})`);
  await db.execute(sql`delete from booking_events where booking_id in (${theirs})`);
  await db.execute(
    sql`delete from outbox where topic = 'booking.changed' and payload->>'bookingId' in (${theirs})`,
  );
  await db.execute(sql`delete from bookings where listing_id in (${benchListings()})`);
  await db.execute(sql`delete from calendar_days where listing_id in (${benchListings()})`);
}
