import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { calendarDays } from "../../src/db/schema/index.ts";
import type { calendarChangesSchema } from "../../src/domain/bookings/calendar-schemas.ts";
import { confirmPayment } from "../../src/domain/bookings/confirm-payment.ts";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import * as routes from "../../src/routes/calendar/calendar.routes.ts";
import * as listingRoutes from "../../src/routes/listings/listings.routes.ts";
import { expectStatus } from "../support/api.ts";
import { type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { createListing } from "../support/listing-factory.ts";
import { createRng } from "../support/prng.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";
import { engine, queryRows } from "../support/test-database.ts";

const ADMIN_EMAIL = "calendar-admin@example.com";
// 2026-06-01T12:00Z: 14:00 in Paris, where the example listing is.
const clock = manualClock(new Date("2026-06-01T12:00:00Z"));
let t: TestApp;
let host: SignedUpUser;
let guest: SignedUpUser;
let stranger: SignedUpUser;
let admin: SignedUpUser;

beforeAll(async () => {
  t = await createTestApp({ env: { ADMIN_EMAIL }, deps: { clock } });
  [host, guest, stranger, admin] = await Promise.all([
    signUp(t),
    signUp(t),
    signUp(t),
    signUp(t, { email: ADMIN_EMAIL }),
  ]);
});
afterAll(() => t.close());

const DAY = 86_400_000;
const db = () => t.db.database.connect().db;

/** A fresh listing of `host` (published, instant-book, 125.00 a night, 1 night minimum). */
async function newListing(overrides: Parameters<typeof createListing>[2] = {}) {
  return (await createListing(t, host.accessToken, { instantBook: true, minNights: 1, ...overrides })).id;
}

const read = (id: string, query?: Record<string, string>, token?: string) =>
  t.call(routes.getCalendar, { params: { id }, ...(query && { query }), ...(token && { token }) });

const change = (id: string, body: z.input<typeof calendarChangesSchema>, token = host.accessToken) =>
  t.call(routes.updateCalendar, { token, params: { id }, body });

async function book(listingId: string, checkIn: string, checkOut: string, token = guest.accessToken) {
  const answer = await t.call(bookingRoutes.createBooking, {
    token,
    body: { listingId, checkIn, checkOut, guests: 2 },
  });
  expectStatus(answer, 201);
  return answer.body;
}

/** The statuses of the dates `[from, to)` as one line: `a` available, `x` blocked, `b` booked. */
async function statuses(id: string, from: string, to: string): Promise<string> {
  const answer = await read(id, { from, to }, host.accessToken);
  expectStatus(answer, 200);
  const letter = { available: "a", blocked: "x", booked: "b" } as const;
  return answer.body.days.map((d) => letter[d.status]).join("");
}

const rowsOf = (listingId: string) =>
  db()
    .select({ day: calendarDays.day, blocked: calendarDays.blocked, price: calendarDays.price })
    .from(calendarDays)
    .where(eq(calendarDays.listingId, listingId))
    .orderBy(calendarDays.day);

describe("calendar.get", () => {
  it("shows the listing's next 30 days from its today, open at the nightly price", async () => {
    const id = await newListing({ nightlyPrice: 12_500, minNights: 2 });
    const answer = await read(id);
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject({
      listingId: id,
      timezone: "Europe/Paris",
      currency: "EUR",
      from: "2026-06-01",
      to: "2026-07-01",
    });
    expect(answer.body.days).toHaveLength(30);
    expect(answer.body.days[0]).toEqual({
      date: "2026-06-01",
      status: "available",
      price: 12_500,
      minNights: 2,
    });
    expect(answer.body.days.at(-1)?.date).toBe("2026-06-30");
    expect(answer.body.days.every((d) => d.status === "available" && d.price === 12_500)).toBe(true);
  });

  it("starts at the listing's own today, across the date line", async () => {
    // 12:00 UTC is already 2026-06-02 in Kiritimati (UTC+14).
    const id = await newListing({ timezone: "Pacific/Kiritimati", location: { lat: 1.87, lng: -157.4 } });
    const answer = await read(id, { to: "2026-06-05" });
    expectStatus(answer, 200);
    expect(answer.body.days.map((d) => d.date)).toEqual(["2026-06-02", "2026-06-03", "2026-06-04"]);
  });

  it("marks booked, blocked and priced dates, and never says who booked", async () => {
    const id = await newListing({ nightlyPrice: 10_000 });
    const booking = await book(id, "2026-07-10", "2026-07-13");
    expectStatus(
      await change(id, {
        block: [{ from: "2026-07-14", to: "2026-07-16" }],
        setPrice: [{ from: "2026-07-12", to: "2026-07-15", price: 20_000 }],
      }),
      200,
    );
    for (const token of [undefined, host.accessToken, guest.accessToken]) {
      const answer = await read(id, { from: "2026-07-09", to: "2026-07-17" }, token);
      expectStatus(answer, 200);
      expect(answer.body.days.map((d) => [d.date, d.status, d.price])).toEqual([
        ["2026-07-09", "available", 10_000],
        ["2026-07-10", "booked", 10_000],
        ["2026-07-11", "booked", 10_000],
        ["2026-07-12", "booked", 20_000],
        ["2026-07-13", "available", 20_000],
        ["2026-07-14", "blocked", 20_000],
        ["2026-07-15", "blocked", 10_000],
        ["2026-07-16", "available", 10_000],
      ]);
      for (const secret of [booking.id, guest.id, guest.email, guest.name]) {
        expect(answer.text).not.toContain(secret);
      }
      expect(Object.keys(answer.body.days[1] ?? {}).sort()).toEqual(["date", "minNights", "price", "status"]);
    }
  });

  it("shows past dates as they are", async () => {
    const id = await newListing();
    clock.advance(-30 * DAY);
    const past = await book(id, "2026-05-10", "2026-05-12");
    await confirmPayment({
      ctx: { db: db(), deps: t.deps },
      input: { bookingId: past.id, reference: "pi_c1" },
    });
    clock.advance(30 * DAY);
    expect(await statuses(id, "2026-05-09", "2026-05-13")).toBe("abba");
  });

  it("frees the dates of a declined request", async () => {
    const id = await newListing({ instantBook: false });
    const request = await book(id, "2026-07-01", "2026-07-03");
    expect(await statuses(id, "2026-07-01", "2026-07-03")).toBe("bb");
    expectStatus(
      await t.call(bookingRoutes.declineBooking, { token: host.accessToken, params: { id: request.id } }),
      200,
    );
    expect(await statuses(id, "2026-07-01", "2026-07-03")).toBe("aa");
  });

  it("is public while published; drafts and unlisted listings only for their host and admins", async () => {
    const draft = await newListing({ status: "draft" });
    const unlisted = await newListing();
    expectStatus(
      await t.call(listingRoutes.deleteListing, { token: host.accessToken, params: { id: unlisted } }),
      204,
    );
    for (const id of [draft, unlisted]) {
      expectStatus(await read(id), 404);
      expectStatus(await read(id, {}, stranger.accessToken), 404);
      expectStatus(await read(id, {}, host.accessToken), 200);
      expectStatus(await read(id, {}, admin.accessToken), 200);
    }
    expectStatus(await read(crypto.randomUUID()), 404);
    expectStatus(await read(draft, {}, "not-a-token"), 401);
  });

  it.each([
    ["to on from", { from: "2026-07-10", to: "2026-07-10" }, "query.to"],
    ["to before from", { from: "2026-07-10", to: "2026-07-09" }, "query.to"],
    ["to before the listing's today", { to: "2026-05-20" }, "query.to"],
    ["more than 366 days", { from: "2026-07-01", to: "2027-07-03" }, "query.to"],
    ["an impossible date", { from: "2026-02-30" }, "query.from"],
    ["a date that is not one", { to: "tomorrow" }, "query.to"],
    ["a from farther back than five years", { from: "2021-01-01" }, "query.from"],
    ["a from farther ahead than five years", { from: "2031-07-01" }, "query.from"],
    ["year zero", { from: "0000-01-01" }, "query.from"],
  ])("refuses %s with 400 naming the field", async (_, query, location) => {
    const id = await newListing();
    const answer = await read(id, query);
    expectStatus(answer, 400);
    expect(answer.body.code).toBe("VALIDATION_FAILED");
    expect(answer.body.errors?.map((e) => e.location)).toEqual([location]);
  });

  it("reads up to 366 days at once", async () => {
    const id = await newListing();
    const answer = await read(id, { from: "2026-07-01", to: "2027-07-02" });
    expectStatus(answer, 200);
    expect(answer.body.days).toHaveLength(366);
  });
});

describe("calendar.update", () => {
  it("blocks and prices dates together, and keeps rows only while a date is blocked or priced", async () => {
    const id = await newListing({ nightlyPrice: 10_000 });
    const answer = await change(id, {
      block: [{ from: "2026-07-01", to: "2026-07-04" }],
      setPrice: [{ from: "2026-07-03", to: "2026-07-06", price: 15_000 }],
    });
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject({ listingId: id, from: "2026-07-01", to: "2026-07-06" });
    expect(answer.body.days.map((d) => [d.status, d.price])).toEqual([
      ["blocked", 10_000],
      ["blocked", 10_000],
      ["blocked", 15_000],
      ["available", 15_000],
      ["available", 15_000],
    ]);
    expect(await rowsOf(id)).toEqual([
      { day: "2026-07-01", blocked: true, price: null },
      { day: "2026-07-02", blocked: true, price: null },
      { day: "2026-07-03", blocked: true, price: 15_000 },
      { day: "2026-07-04", blocked: false, price: 15_000 },
      { day: "2026-07-05", blocked: false, price: 15_000 },
    ]);

    expectStatus(await change(id, { unblock: [{ from: "2026-07-02", to: "2026-07-04" }] }), 200);
    expectStatus(await change(id, { clearPrice: [{ from: "2026-07-04", to: "2026-07-10" }] }), 200);
    expect(await rowsOf(id)).toEqual([
      { day: "2026-07-01", blocked: true, price: null },
      { day: "2026-07-03", blocked: false, price: 15_000 },
    ]);
    const cleared = await change(id, {
      unblock: [{ from: "2026-06-20", to: "2026-07-02" }],
      clearPrice: [{ from: "2026-07-03", to: "2026-07-04" }],
    });
    expectStatus(cleared, 200);
    expect(cleared.body).toMatchObject({ from: "2026-06-20", to: "2026-07-04" });
    expect(cleared.body.days.every((d) => d.status === "available" && d.price === 10_000)).toBe(true);
    expect(await rowsOf(id)).toEqual([]);
  });

  it("takes overlapping ranges that agree, and blocks a booking's check-out day", async () => {
    const id = await newListing();
    await book(id, "2026-07-10", "2026-07-13");
    const answer = await change(id, {
      block: [
        { from: "2026-07-13", to: "2026-07-16" },
        { from: "2026-07-14", to: "2026-07-18" },
      ],
      setPrice: [
        { from: "2026-07-10", to: "2026-07-12", price: 9_000 },
        { from: "2026-07-11", to: "2026-07-14", price: 9_000 },
      ],
    });
    expectStatus(answer, 200);
    expect(await statuses(id, "2026-07-09", "2026-07-19")).toBe("abbbxxxxxa");
  });

  it("refuses to block a booked date with 409 DATES_UNAVAILABLE naming the range, changing nothing", async () => {
    const id = await newListing();
    await book(id, "2026-07-10", "2026-07-13");
    const answer = await change(id, {
      setPrice: [{ from: "2026-07-01", to: "2026-07-05", price: 9_000 }],
      block: [
        { from: "2026-07-01", to: "2026-07-03" },
        { from: "2026-07-12", to: "2026-07-15" },
      ],
    });
    expectStatus(answer, 409);
    expect(answer.body.code).toBe("DATES_UNAVAILABLE");
    expect(answer.body.errors).toEqual([
      { location: "body.block.1", message: "2026-07-12 is booked: a booked date cannot be blocked" },
    ]);
    expect(await rowsOf(id)).toEqual([]);
    // Pricing or opening a booked date is fine: the booking keeps its quote.
    const priced = await change(id, {
      setPrice: [{ from: "2026-07-10", to: "2026-07-13", price: 30_000 }],
      unblock: [{ from: "2026-07-10", to: "2026-07-13" }],
    });
    expectStatus(priced, 200);
    expect(priced.body.days.map((d) => d.status)).toEqual(["booked", "booked", "booked"]);
  });

  it("keeps bookings off blocked dates", async () => {
    const id = await newListing();
    expectStatus(await change(id, { block: [{ from: "2026-07-05", to: "2026-07-06" }] }), 200);
    const clash = await t.call(bookingRoutes.createBooking, {
      token: guest.accessToken,
      body: { listingId: id, checkIn: "2026-07-03", checkOut: "2026-07-07", guests: 1 },
    });
    expectStatus(clash, 409);
    await book(id, "2026-07-06", "2026-07-08");
    expectStatus(await change(id, { unblock: [{ from: "2026-07-05", to: "2026-07-06" }] }), 200);
    await book(id, "2026-07-03", "2026-07-06");
  });

  it("is for the host and admins: 403 for others on a published listing, 404 on a draft, 401 without a token", async () => {
    const published = await newListing();
    const draft = await newListing({ status: "draft" });
    const body = { block: [{ from: "2026-07-01", to: "2026-07-02" }] };
    const refused = await change(published, body, stranger.accessToken);
    expectStatus(refused, 403);
    expect(refused.body.code).toBe("FORBIDDEN");
    expectStatus(await change(draft, body, stranger.accessToken), 404);
    expectStatus(await change(crypto.randomUUID(), body), 404);
    expectStatus(await t.call(routes.updateCalendar, { params: { id: published }, body }), 401);
    expect(await rowsOf(published)).toEqual([]);
    expectStatus(await change(draft, body), 200);
    expectStatus(await change(published, body, admin.accessToken), 200);
    expect(await rowsOf(published)).toEqual([{ day: "2026-07-01", blocked: true, price: null }]);
  });

  const range = (from: string, to: string) => ({ from, to });
  it.each([
    ["no range", {}, "body"],
    ["empty lists only", { block: [], setPrice: [] }, "body"],
    ["an unknown operation", { blocks: [range("2026-07-01", "2026-07-02")] }, "body.blocks"],
    ["a range ending on its start", { block: [range("2026-07-05", "2026-07-05")] }, "body.block.0.to"],
    [
      "a range ending before its start",
      { unblock: [range("2026-07-05", "2026-07-01")] },
      "body.unblock.0.to",
    ],
    [
      "a range of more than 366 days",
      { clearPrice: [range("2026-07-01", "2027-07-03")] },
      "body.clearPrice.0.to",
    ],
    [
      "ranges more than 366 days apart",
      { block: [range("2026-07-01", "2026-07-03")], unblock: [range("2027-07-10", "2027-07-12")] },
      "body.unblock.0.to",
    ],
    [
      "a date blocked and unblocked",
      { block: [range("2026-07-01", "2026-07-05")], unblock: [range("2026-07-04", "2026-07-06")] },
      "body.unblock.0",
    ],
    [
      "a date given two prices",
      {
        setPrice: [
          { ...range("2026-07-01", "2026-07-05"), price: 1_000 },
          { ...range("2026-07-03", "2026-07-08"), price: 2_000 },
        ],
      },
      "body.setPrice.1",
    ],
    [
      "a date priced and cleared",
      {
        setPrice: [{ ...range("2026-07-01", "2026-07-05"), price: 1_000 }],
        clearPrice: [range("2026-07-04", "2026-07-06")],
      },
      "body.clearPrice.0",
    ],
    [
      "a price of 0",
      { setPrice: [{ ...range("2026-07-01", "2026-07-02"), price: 0 }] },
      "body.setPrice.0.price",
    ],
    [
      "a price above 10,000,000",
      { setPrice: [{ ...range("2026-07-01", "2026-07-02"), price: 10_000_001 }] },
      "body.setPrice.0.price",
    ],
    [
      "a fractional price",
      { setPrice: [{ ...range("2026-07-01", "2026-07-02"), price: 100.5 }] },
      "body.setPrice.0.price",
    ],
    ["a range without a price", { setPrice: [range("2026-07-01", "2026-07-02")] }, "body.setPrice.0.price"],
    ["an impossible date", { block: [range("2026-02-30", "2026-03-02")] }, "body.block.0.from"],
    ["a past date", { block: [range("2026-05-30", "2026-06-02")] }, "body.block.0.from"],
    ["a date more than five years ahead", { block: [range("2031-05-25", "2031-06-02")] }, "body.block.0.to"],
    ["year zero", { unblock: [range("0000-01-01", "0000-01-02")] }, "body.unblock.0.from"],
  ])("refuses %s with 400 naming the field", async (_, body, location) => {
    const id = await newListing();
    const answer = await t.call(routes.updateCalendar, {
      token: host.accessToken,
      params: { id },
      invalidBody: body,
    });
    expectStatus(answer, 400);
    expect(answer.body.code).toBe("VALIDATION_FAILED");
    expect(answer.body.errors?.map((e) => e.location)).toContain(location);
    expect(await rowsOf(id)).toEqual([]);
  });

  it("changes dates from the listing's today, and as far as five years ahead", async () => {
    const id = await newListing();
    expectStatus(await change(id, { block: [{ from: "2026-06-01", to: "2026-06-02" }] }), 200);
    expectStatus(await change(id, { block: [{ from: "2031-05-20", to: "2031-05-31" }] }), 200);
  });
});

// Real concurrent transactions: PGlite runs one at a time and would hide these races.
describe.skipIf(engine !== "postgres")("races (PostgreSQL)", () => {
  it("never lets a block and a booking share a night, answering each racer 200/201 or 409", async () => {
    const id = await newListing();
    const guests = await Promise.all(Array.from({ length: 4 }, () => signUp(t)));
    const rng = createRng(20260601);
    const day = (n: number) => `2026-07-${String(n).padStart(2, "0")}`;
    const someStay = () => {
      const start = rng.int(1, 14);
      return { from: day(start), to: day(start + rng.int(1, 3)) };
    };
    const answers: Array<{ status: number; text: string; request: string; kind: string }> = [];
    for (let round = 0; round < 4; round++) {
      const racers = Array.from({ length: 30 }, () => {
        const roll = rng.next();
        const { from, to } = someStay();
        if (roll < 0.45) {
          const token = rng.pick(guests).accessToken;
          const body = { listingId: id, checkIn: from, checkOut: to, guests: 1 };
          return { kind: "book", run: () => t.call(bookingRoutes.createBooking, { token, body }) };
        }
        if (roll < 0.8) return { kind: "block", run: () => change(id, { block: [{ from, to }] }) };
        if (roll < 0.95) return { kind: "unblock", run: () => change(id, { unblock: [{ from, to }] }) };
        return { kind: "read", run: () => read(id, { from: day(1), to: day(20) }) };
      });
      const settled = await Promise.all(racers.map(async (r) => ({ kind: r.kind, ...(await r.run()) })));
      answers.push(...settled);
    }
    const refused = answers.filter((a) => ![200, 201, 409].includes(a.status));
    expect(refused.map((a) => `${a.request} → ${a.status}: ${a.text}`)).toEqual([]);
    const count = (kind: string, status: number) =>
      answers.filter((a) => a.kind === kind && a.status === status).length;
    // Not vacuous: bookings and blocks both won and both lost.
    expect(count("book", 201)).toBeGreaterThan(0);
    expect(count("book", 409)).toBeGreaterThan(0);
    expect(count("block", 200)).toBeGreaterThan(0);
    expect(count("block", 409)).toBeGreaterThan(0);

    const holding = sql`('requested', 'pending_payment', 'confirmed', 'completed')`;
    const overlapping = await queryRows(
      db(),
      sql`select a.id, b.id from bookings a join bookings b
            on b.listing_id = a.listing_id and b.id > a.id
           and daterange(a.check_in, a.check_out, '[)') && daterange(b.check_in, b.check_out, '[)')
          where a.listing_id = ${id} and a.status in ${holding} and b.status in ${holding}`,
    );
    expect(overlapping).toEqual([]);
    const blockedInside = await queryRows(
      db(),
      sql`select b.id, d.day from bookings b join calendar_days d
            on d.listing_id = b.listing_id and d.blocked and d.day >= b.check_in and d.day < b.check_out
          where b.listing_id = ${id} and b.status in ${holding}`,
    );
    expect(blockedInside).toEqual([]);
  });
});
