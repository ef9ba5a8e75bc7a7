import { and, eq, inArray, lte } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryCalendarLock } from "../../src/adapters/memory.ts";
import { bookingEvents, bookings } from "../../src/db/schema/index.ts";
import { addDays } from "../../src/domain/bookings/local-time.ts";
import { settleBookings } from "../../src/domain/bookings/settle-bookings.ts";
import type { CalendarLock } from "../../src/ports.ts";
import * as routes from "../../src/routes/bookings/bookings.routes.ts";
import type { ApiAnswer } from "../support/api.ts";
import { expectCalendarInvariants } from "../support/booking-invariants.ts";
import { insertListing, insertUser } from "../support/factories.ts";
import { type SignedInGuest, signInGuests } from "../support/payment-harness.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";
import { engine } from "../support/test-database.ts";

/**
 * Issue 13: never double-booked, proved by racing on real PostgreSQL (PGlite runs one transaction
 * at a time and would hide every race here). After each race the invariants are asked of the
 * whole database, not only of the rows the test made.
 */

const GUESTS = 50;
const PASSWORD = "race guests share this password";
// The clock stands still: access tokens stay valid, and holds run out only for a sweep that is
// handed a later clock.
const clock = manualClock(new Date("2026-06-01T12:00:00Z"));
const MINUTE = 60_000;

/** The app's in-process calendar lock, or, while `bypass` is on, none: the database alone decides. */
function switchableLock() {
  const real = memoryCalendarLock();
  const state = { bypass: false, inFlight: 0, maxInFlight: 0 };
  const lock: CalendarLock = {
    async withLock(listingId, work) {
      if (!state.bypass) return real.withLock(listingId, work);
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      try {
        return await work();
      } finally {
        state.inFlight--;
      }
    },
    wakeAt: (listingId, at) => real.wakeAt(listingId, at),
  };
  return { lock, state };
}

type BookAnswer = ApiAnswer<typeof routes.createBooking>;

describe.skipIf(engine !== "postgres")("never double-booked (PostgreSQL)", () => {
  const { lock, state } = switchableLock();
  let t: TestApp;
  let hostId: string;
  let guests: SignedInGuest[];
  const db = () => t.db.database.connect().db;

  beforeAll(async () => {
    t = await createTestApp({ deps: { clock, calendarLock: lock } });
    guests = await signInGuests(t, GUESTS, PASSWORD);
    hostId = (await insertUser(db())).id;
  });
  afterAll(() => t?.close());

  const newListing = async () => (await insertListing(db(), { hostId, instantBook: true })).id;

  /** Guest `i`'s stay: three nights from 10, 11 or 12 July, so that every two share 12 July. */
  const overlapping = (listingId: string, i: number) => ({
    listingId,
    checkIn: addDays("2026-07-10", i % 3),
    checkOut: addDays("2026-07-13", i % 3),
    guests: 2,
  });

  /** Every guest books at once; with the request log lines the race wrote. */
  async function race(listingId: string) {
    const from = t.logger.lines.length;
    const answers = await Promise.all(
      guests.map((guest, i) =>
        t.call(routes.createBooking, { token: guest.token, body: overlapping(listingId, i) }),
      ),
    );
    const logged = t.logger.lines
      .slice(from)
      .filter((line) => line.message === "request" && line.method === "POST" && line.path === "/v1/bookings");
    return { answers, logged };
  }

  /** One 201; every other answer a 409 BOOKING_CONFLICT; no deadlock behind any of them. */
  function expectOneWinner({ answers, logged }: Awaited<ReturnType<typeof race>>) {
    const verdicts = answers.map((a) => (a.status === 409 ? `409 ${a.body.code}` : `${a.status}`));
    expect(
      verdicts.filter((v) => v === "201"),
      verdicts.join(", "),
    ).toHaveLength(1);
    expect(verdicts.filter((v) => v !== "201")).toEqual(Array(GUESTS - 1).fill("409 BOOKING_CONFLICT"));
    expect(logged).toHaveLength(GUESTS);
    expect(logged.filter((line) => Number(line.status) >= 500)).toEqual([]);
    expect(logged.filter((line) => line.sqlState === "40P01")).toEqual([]);
    const winner = answers.find((a): a is Extract<BookAnswer, { status: 201 }> => a.status === 201);
    if (!winner) throw new Error("no booking went through");
    return winner.body;
  }

  async function holdingBookingsOf(listingId: string) {
    return db()
      .select({ id: bookings.id })
      .from(bookings)
      .where(
        and(
          eq(bookings.listingId, listingId),
          inArray(bookings.status, ["requested", "pending_payment", "confirmed", "completed"]),
        ),
      );
  }

  it(`lets exactly one of ${GUESTS} concurrent overlapping bookings through`, async () => {
    const listingId = await newListing();
    const winner = expectOneWinner(await race(listingId));
    expect(winner.status).toBe("pending_payment");
    expect(await holdingBookingsOf(listingId)).toEqual([{ id: winner.id }]);
    await expectCalendarInvariants(db());
  });

  it("still lets exactly one through when the in-process calendar lock is bypassed", async () => {
    const listingId = await newListing();
    state.bypass = true;
    state.maxInFlight = 0;
    try {
      const winner = expectOneWinner(await race(listingId));
      expect(await holdingBookingsOf(listingId)).toEqual([{ id: winner.id }]);
    } finally {
      state.bypass = false;
    }
    // The bookings really did reach the database together.
    expect(state.maxInFlight).toBeGreaterThan(1);
    await expectCalendarInvariants(db());
  });

  describe("inserts straight into the table, past the application", () => {
    /**
     * `n` sessions each open a transaction, insert a stay sharing a night with every other one,
     * wait a moment and commit, all at once. Returns how many committed and the SQLSTATEs of the
     * others. `triggers: false` also switches off the trigger that locks the listing's row, so
     * that the exclusion constraint alone stands between them.
     */
    async function insertRace(listingId: string, n: number, { triggers }: { triggers: boolean }) {
      const url = t.db.url;
      if (!url) throw new Error("the PostgreSQL engine gives each file a database URL");
      const pool = new pg.Pool({ connectionString: url, max: n });
      const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
      try {
        await Promise.all(
          clients.map(async (client) => {
            await client.query("begin");
            if (!triggers) {
              await client.query("set local session_replication_role = replica");
              // Racing exclusion checks may deadlock; find out in 100 ms rather than in a second.
              await client.query("set local deadlock_timeout = '100ms'");
            }
          }),
        );
        const outcomes = await Promise.allSettled(
          clients.map(async (client, i) => {
            try {
              const stay = overlapping(listingId, i);
              await client.query(
                `insert into bookings (id, listing_id, guest_id, host_id, check_in, check_out, guests, status,
                   quote, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, $6, 2, 'confirmed', '{}', now(), now())`,
                [crypto.randomUUID(), listingId, guests[i]?.id, hostId, stay.checkIn, stay.checkOut],
              );
              await client.query("select pg_sleep(0.02)");
              await client.query("commit");
            } catch (error) {
              await client.query("rollback");
              throw error;
            }
          }),
        );
        const codes = outcomes.flatMap((o) =>
          o.status === "rejected" ? [String((o.reason as { code?: string }).code)] : [],
        );
        return { committed: outcomes.filter((o) => o.status === "fulfilled").length, codes };
      } finally {
        for (const client of clients) client.release();
        await pool.end();
      }
    }

    it("admits exactly one of 30 racing inserts (constraint and the listing-row trigger)", async () => {
      const listingId = await newListing();
      const { committed, codes } = await insertRace(listingId, 30, { triggers: true });
      expect(committed, codes.join(", ")).toBe(1);
      // The trigger locks the listing's row first, so the losers wait their turn: no deadlock.
      expect(codes).toEqual(Array(29).fill("23P01"));
      expect(await holdingBookingsOf(listingId)).toHaveLength(1);
      await expectCalendarInvariants(db());
    });

    it("admits exactly one of 20 racing inserts with the exclusion constraint alone", async () => {
      const listingId = await newListing();
      const { committed, codes } = await insertRace(listingId, 20, { triggers: false });
      expect(committed, codes.join(", ")).toBe(1);
      // Without the row lock, racing exclusion checks can deadlock (40P01): both are refusals.
      expect(codes.filter((code) => code !== "23P01" && code !== "40P01")).toEqual([]);
      expect(codes).toHaveLength(19);
      expect(await holdingBookingsOf(listingId)).toHaveLength(1);
      await expectCalendarInvariants(db());
    });
  });

  /** `count` back-to-back two-night stays from 1 July at `listingId`, each by another guest, all at once. */
  async function bookBackToBack(listingIds: string[], count: number) {
    const answers = await Promise.all(
      listingIds.flatMap((listingId, l) =>
        Array.from({ length: count }, (_, k) => {
          const guest = guests[(l * count + k) % GUESTS];
          if (!guest) throw new Error("no guest");
          const checkIn = addDays("2026-07-01", 2 * k);
          return t.call(routes.createBooking, {
            token: guest.token,
            body: { listingId, checkIn, checkOut: addDays(checkIn, 2), guests: 1 },
          });
        }),
      ),
    );
    const verdicts = answers.map((a) => (a.status === 409 ? `409 ${a.body.code}` : `${a.status}`));
    expect(verdicts).toEqual(Array(answers.length).fill("201"));
    return answers.flatMap((a) => (a.status === 201 ? [a.body] : []));
  }

  it("takes 30 back-to-back stays booked at the same moment, the calendar lock bypassed", async () => {
    const listingId = await newListing();
    state.bypass = true;
    try {
      const booked = await bookBackToBack([listingId], 30);
      expect(new Set(booked.map((b) => b.checkIn)).size).toBe(30);
    } finally {
      state.bypass = false;
    }
    expect(await holdingBookingsOf(listingId)).toHaveLength(30);
    await expectCalendarInvariants(db());
  });

  it("expires each of many due holds exactly once when two sweeps run at once, and frees their dates", async () => {
    const listingIds = await Promise.all(Array.from({ length: 5 }, () => newListing()));
    await bookBackToBack(listingIds, 30);

    // Sweeps that run 16 minutes on: every payment hold made so far has run out.
    const later = { ...t.deps, clock: { now: () => new Date(clock.now().getTime() + 16 * MINUTE) } };
    const due = await db()
      .select({ id: bookings.id })
      .from(bookings)
      .where(
        and(
          inArray(bookings.status, ["requested", "pending_payment"]),
          lte(bookings.holdExpiresAt, later.clock.now()),
        ),
      );
    const dueIds = due.map((row) => row.id);
    expect(dueIds.length).toBeGreaterThan(150);

    // Each sweep takes at most 100 holds a round: keep racing pairs until a round finds nothing.
    let expired = 0;
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all([
        settleBookings({ ctx: { db: db(), deps: later } }),
        settleBookings({ ctx: { db: db(), deps: later } }),
      ]);
      const found = results.reduce((sum, r) => sum + r.expired, 0);
      if (found === 0) break;
      expired += found;
    }
    expect(expired).toBe(dueIds.length);

    const statuses = await db()
      .select({ status: bookings.status })
      .from(bookings)
      .where(inArray(bookings.id, dueIds));
    expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(["expired"]));
    const events = await db()
      .select({ bookingId: bookingEvents.bookingId })
      .from(bookingEvents)
      .where(and(inArray(bookingEvents.bookingId, dueIds), eq(bookingEvents.toStatus, "expired")));
    const perBooking = new Map<string, number>();
    for (const { bookingId } of events) perBooking.set(bookingId, (perBooking.get(bookingId) ?? 0) + 1);
    expect([...perBooking.keys()].sort()).toEqual([...dueIds].sort());
    expect([...perBooking.values()].filter((n) => n !== 1)).toEqual([]);
    await expectCalendarInvariants(db());

    // The expired holds gave their nights back: a new race for them has a winner again.
    const [first] = listingIds;
    if (!first) throw new Error("no listing");
    expect(await holdingBookingsOf(first)).toEqual([]);
    expectOneWinner(await race(first));
    await expectCalendarInvariants(db());
  });
});
