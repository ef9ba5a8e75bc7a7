import { addDays, daysBetween } from "../../src/domain/bookings/local-time.ts";
import { signAccessToken } from "../../src/domain/identity/tokens.ts";
import type { Rng } from "../../test/support/prng.ts";
import { type BookingFixtures, DELETE_GUEST_BOOKINGS, type StayListing } from "./booking-data.ts";
import type { BookingFloorSet } from "./booking-floors.ts";
import type { Scenario } from "./scenarios.ts";

/**
 * The booking scenarios: pricing a stay (bookings.quote) against its floor, and two storms of
 * POST /v1/bookings: many guests after one listing's same nights (exactly one may win), and
 * bookings of distinct listings and nights against the same writes through `pg` alone. Stays start
 * 60 days ahead or later, clear of the nights the searches with dates find booked (booking-data.ts).
 */

export const BOOKING_SCENARIOS = [
  "bookings.quote",
  "bookings.storm.same",
  "bookings.storm.disjoint",
] as const;
export type BookingScenarioName = (typeof BOOKING_SCENARIOS)[number];

export const CREATE_TARGET = 0.5;
const QUOTES = 500;
const SAME_NIGHTS_REQUESTS = 200;
/** A disjoint storm books this many requests per second of --duration (and of --warmup). */
const DISJOINT_PER_SECOND = 400;
const DISJOINT_LISTINGS = 500;
/** Access tokens live 15 minutes; the bench mints new ones when these are older. */
const TOKEN_AGE_MS = 5 * 60_000;

export interface BookingRuntime {
  /** The run lengths, which size the disjoint storm's bursts. */
  duration: number;
  warmup: number;
  /** `Bearer …` for bench guest `guest`. */
  authorization(guest: number): string;
  /** Deletes what the bench guests booked, and mints their access tokens again if they are old. */
  reset(): Promise<void>;
}

/** The booking scenarios' hold on the running servers: their JWT secret and database. */
export function bookingRuntime(
  fixtures: BookingFixtures,
  jwtSecret: string,
  sql: (text: string, values: unknown[]) => Promise<unknown>,
  timing: { duration: number; warmup: number },
): BookingRuntime {
  const guestIds = fixtures.guests.map((guest) => guest.userId);
  let tokens: string[] = [];
  let mintedAt = Number.NEGATIVE_INFINITY;
  return {
    ...timing,
    authorization: (guest) => `Bearer ${tokens[guest % tokens.length]}`,
    async reset() {
      for (const text of DELETE_GUEST_BOOKINGS) await sql(text, [guestIds]);
      if (Date.now() - mintedAt < TOKEN_AGE_MS) return;
      const now = new Date();
      tokens = await Promise.all(
        fixtures.guests.map((guest) => signAccessToken({ ...guest, now }, jwtSecret)),
      );
      mintedAt = now.getTime();
    },
  };
}

interface Stay {
  listing: number;
  guest: number;
  checkIn: string;
  checkOut: string;
  guests: number;
}

const stayOf = (f: BookingFixtures, listing: number, guest: number, fromToday: number, nights: number) => {
  const checkIn = addDays(f.today, fromToday);
  return { listing, guest, checkIn, checkOut: addDays(checkIn, nights), guests: 1 };
};

/** The JSON body of a stay's request (a quote's or a booking's). */
const bodyOf = (f: BookingFixtures, stay: Stay) =>
  JSON.stringify({
    listingId: f.listings[stay.listing]?.id,
    checkIn: stay.checkIn,
    checkOut: stay.checkOut,
    guests: stay.guests,
  });

function floorOf(kind: BookingFloorSet["kind"], f: BookingFixtures, stays: Stay[]): BookingFloorSet {
  return {
    kind,
    listings: f.listings.map(({ id, hostId, instantBook }: StayListing) => ({ id, hostId, instantBook })),
    guests: f.guests,
    requests: stays,
  };
}

/** Answer checks of a storm's run: the number of bookings made, and no 5xx. */
function booked(expected: (requests: number) => number) {
  return (run: { requests: number; statuses: Record<number, number> }) => {
    const made = run.statuses[201] ?? 0;
    const failed = Object.entries(run.statuses).filter(([status]) => Number(status) >= 500);
    if (failed.length > 0) return `5xx answers: ${JSON.stringify(Object.fromEntries(failed))}`;
    const want = expected(run.requests);
    return made === want ? undefined : `${made} bookings made, not ${want}`;
  };
}

export function bookingScenario(
  name: BookingScenarioName,
  f: BookingFixtures,
  rng: Rng,
  runtime: BookingRuntime,
): Scenario {
  const guests = f.guests.length;
  const headers = (i: number) => ({ authorization: runtime.authorization(i % guests) });
  if (name === "bookings.quote") {
    const stays = Array.from({ length: QUOTES }, (_, i) => {
      const listing = f.listings[i] as StayListing;
      const nights = rng.int(listing.minNights, Math.min(listing.maxNights, listing.minNights + 3));
      return { ...stayOf(f, i, 0, rng.int(60, 300), nights), guests: rng.int(1, listing.maxGuests) };
    });
    return {
      name,
      note: `POST /v1/bookings/quote: ${QUOTES} listings, a stay 60–300 days ahead of 0–3 nights over its minimum`,
      app: "uncached",
      baseline: "floor",
      paths: stays.map(() => "/v1/bookings/quote"),
      bodies: stays.map((stay) => bodyOf(f, stay)),
      bookingFloor: floorOf("quote", f, stays),
      verify: verifyQuote,
      sameAsFloor: sameStay,
    };
  }
  if (name === "bookings.storm.same") {
    const listing = f.listings.length - 1;
    const stay = stayOf(f, listing, 0, 200, f.listings[listing]?.minNights ?? 1);
    return {
      name,
      note: `POST /v1/bookings: ${SAME_NIGHTS_REQUESTS} requests of ${guests} guests for one listing's same nights; one may win`,
      app: "uncached",
      baseline: "none",
      paths: Array.from({ length: SAME_NIGHTS_REQUESTS }, () => "/v1/bookings"),
      bodies: Array.from({ length: SAME_NIGHTS_REQUESTS }, () => bodyOf(f, stay)),
      headers,
      burst: { measured: SAME_NIGHTS_REQUESTS, warmup: 0 },
      expected: [409],
      beforeRun: runtime.reset,
      check: booked(() => 1),
      verify: verifyBooking,
    };
  }
  const measured = Math.round(DISJOINT_PER_SECOND * runtime.duration);
  const stays = Array.from({ length: measured }, (_, i) => {
    const listing = QUOTES + (i % DISJOINT_LISTINGS);
    const nights = f.listings[listing]?.minNights ?? 1;
    return stayOf(f, listing, i % guests, 60 + Math.floor(i / DISJOINT_LISTINGS) * (nights + 1), nights);
  });
  return {
    name,
    note: `POST /v1/bookings: ${measured} bookings of ${DISJOINT_LISTINGS} listings' distinct nights, ${guests} guests`,
    app: "uncached",
    baseline: "floor",
    target: CREATE_TARGET,
    paths: stays.map(() => "/v1/bookings"),
    bodies: stays.map((stay) => bodyOf(f, stay)),
    headers,
    burst: { measured, warmup: Math.round(DISJOINT_PER_SECOND * runtime.warmup) },
    beforeRun: runtime.reset,
    check: booked((requests) => requests),
    bookingFloor: floorOf("create", f, stays),
    verify: verifyBooking,
    sameAsFloor: sameStay,
  };
}

/**
 * The quote each listing of a create floor stores with its bookings: the app's own quote of the
 * listing's first stay (the floor writes a quote of the same size, it does not price).
 */
export async function addQuotes(scenario: Scenario, appUrl: string): Promise<void> {
  const set = scenario.bookingFloor;
  if (set?.kind !== "create" || !scenario.bodies) return;
  const first = new Map<number, number>();
  set.requests.forEach((request, i) => {
    if (!first.has(request.listing)) first.set(request.listing, i);
  });
  for (const [listing, i] of first) {
    const response = await fetch(`${appUrl}/v1/bookings/quote`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: scenario.bodies[i] ?? "",
    });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${scenario.name}: quote → ${response.status} ${body}`);
    const entry = set.listings[listing];
    if (entry) entry.quote = JSON.parse(body);
  }
}

interface StayAnswer {
  listingId: string;
  checkIn: string;
  checkOut: string;
  guests: number;
}

function sameStayAs(asked: StayAnswer, answer: StayAnswer): string | undefined {
  for (const key of ["listingId", "checkIn", "checkOut", "guests"] as const) {
    if (answer[key] !== asked[key]) return `${key} is ${answer[key]}, asked ${asked[key]}`;
  }
  return undefined;
}

/** A quote of the stay asked for: every night priced once, and a total that adds up. */
export function verifyQuote(_path: string, answer: string, requestBody?: string): string | undefined {
  const quote = JSON.parse(answer) as StayAnswer & Record<string, number> & { nightly: unknown[] };
  const asked = JSON.parse(requestBody ?? "{}") as StayAnswer;
  const nights = daysBetween(asked.checkIn, asked.checkOut);
  if (quote.nights !== nights || quote.nightly.length !== nights)
    return `${quote.nights} nights, not ${nights}`;
  const { nightsTotal = 0, discount = 0, cleaningFee = 0, serviceFee = 0, taxes = 0 } = quote;
  if (quote.total !== nightsTotal - discount + cleaningFee + serviceFee + taxes)
    return "the total does not add up";
  return sameStayAs(asked, quote);
}

/** A booking of the stay asked for, holding its nights. */
export function verifyBooking(_path: string, answer: string, requestBody?: string): string | undefined {
  const booking = JSON.parse(answer) as StayAnswer & { status: string; quote: { total: number } };
  if (booking.status !== "requested" && booking.status !== "pending_payment")
    return `status ${booking.status}`;
  if (!(booking.quote.total > 0)) return `a total of ${booking.quote.total}`;
  return sameStayAs(JSON.parse(requestBody ?? "{}") as StayAnswer, booking);
}

/** The floor's first row (the listing it priced, or the booking it wrote) is of the app's listing. */
export function sameStay(appBody: string, floorBody: string): string | undefined {
  const { listingId } = JSON.parse(appBody) as StayAnswer;
  const row = (JSON.parse(floorBody) as { items?: unknown[][] }).items?.[0];
  return row?.includes(listingId) ? undefined : `the floor's row is not of listing ${listingId}`;
}
