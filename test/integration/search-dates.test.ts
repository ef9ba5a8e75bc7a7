import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BookingStatus, bookingStatuses } from "../../src/domain/bookings/vocabulary.ts";
import { quoteBooking } from "../../src/routes/bookings/bookings.routes.ts";
import { searchListings } from "../../src/routes/listings/listings.routes.ts";
import { expectStatus } from "../support/api.ts";
import { type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { insertBookings, insertCalendarDays } from "../support/calendar-rows.ts";
import { insertListing, insertUser, type ListingOverrides } from "../support/factories.ts";
import { allPages, searchPage } from "../support/search-pages.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

// 11:30 UTC: already 2026-06-02 in Kiritimati (UTC+14), still 2026-06-01 everywhere west of it.
const clock = manualClock(new Date("2026-06-01T11:30:00Z"));
let t: TestApp;
let host: SignedUpUser;
let guestId: string;

beforeAll(async () => {
  t = await createTestApp({ env: { TAX_PERCENT: "10" }, deps: { clock } });
  host = await signUp(t);
  guestId = (await insertUser(t.db.database.connect().db)).id;
});
afterAll(() => t.close());

const db = () => t.db.database.connect().db;

/** A published listing of `host` in `country`: each test searches a country of its own. */
async function listing(country: string, overrides: ListingOverrides = {}): Promise<string> {
  const row = await insertListing(db(), { hostId: host.id, country, city: `Town ${country}`, ...overrides });
  return row.id;
}

async function book(
  listingId: string,
  checkIn: string,
  checkOut: string,
  status: BookingStatus = "confirmed",
) {
  await insertBookings(db(), [{ listingId, hostId: host.id, guestId, checkIn, checkOut, status }]);
}

/** The ids a dated search of `country` finds, every page. */
async function found(country: string, checkIn: string, checkOut: string, more = ""): Promise<string[]> {
  const items = await allPages(t, `country=${country}&checkIn=${checkIn}&checkOut=${checkOut}${more}`, 50);
  return items.map((item) => item.id).sort();
}

/** The ids of `ids` that bookings.quote prices for this stay (the others it refuses). */
async function quotable(ids: string[], checkIn: string, checkOut: string): Promise<string[]> {
  const taken: string[] = [];
  for (const listingId of ids) {
    const answer = await t.call(quoteBooking, { body: { listingId, checkIn, checkOut, guests: 1 } });
    if (answer.status === 200) taken.push(listingId);
    else expect([400, 409], answer.text).toContain(answer.status);
  }
  return taken.sort();
}

describe("GET /v1/listings with checkIn and checkOut", () => {
  it("skips listings a date-holding booking holds a night of, and not those whose booking ended otherwise", async () => {
    const statuses = bookingStatuses;
    const ids: Record<string, string> = { free: await listing("PT") };
    for (const status of statuses) {
      ids[status] = await listing("PT");
      await book(ids[status] ?? "", "2026-06-10", "2026-06-13", status);
    }
    const free = [ids.free, ids.cancelled, ids.declined, ids.expired].sort();
    expect(await found("PT", "2026-06-12", "2026-06-15")).toEqual(free);
    expect(await quotable(Object.values(ids), "2026-06-12", "2026-06-15")).toEqual(free);
    expect(await found("PT", "2026-06-13", "2026-06-15")).toHaveLength(statuses.length + 1);
  });

  it("takes back-to-back stays: a booking may end on check-in and start on check-out", async () => {
    const before = await listing("ES");
    const after = await listing("ES");
    const lastNight = await listing("ES");
    const firstNight = await listing("ES");
    await book(before, "2026-06-05", "2026-06-10");
    await book(after, "2026-06-13", "2026-06-20");
    await book(lastNight, "2026-06-12", "2026-06-14");
    await book(firstNight, "2026-06-08", "2026-06-11");
    const all = [before, after, lastNight, firstNight];
    expect(await found("ES", "2026-06-10", "2026-06-13")).toEqual([before, after].sort());
    expect(await quotable(all, "2026-06-10", "2026-06-13")).toEqual([before, after].sort());
  });

  it("skips a listing with a blocked night, not one blocked on check-out day or priced on a night", async () => {
    const blocked = await listing("IT");
    const outDay = await listing("IT");
    const priced = await listing("IT");
    await insertCalendarDays(db(), [
      { listingId: blocked, day: "2026-06-12", blocked: true },
      { listingId: outDay, day: "2026-06-13", blocked: true },
      { listingId: outDay, day: "2026-06-09", blocked: true },
      { listingId: priced, day: "2026-06-11", price: 20_000 },
    ]);
    expect(await found("IT", "2026-06-10", "2026-06-13")).toEqual([outDay, priced].sort());
    expect(await quotable([blocked, outDay, priced], "2026-06-10", "2026-06-13")).toEqual(
      [outDay, priced].sort(),
    );
  });

  it("finds a listing only for stays of a length it takes", async () => {
    const id = await listing("GR", { minNights: 3, maxNights: 5 });
    const any = await listing("GR", { minNights: 1, maxNights: 1095 });
    expect(await found("GR", "2026-07-01", "2026-07-03")).toEqual([any]);
    expect(await found("GR", "2026-07-01", "2026-07-04")).toEqual([id, any].sort());
    expect(await found("GR", "2026-07-01", "2026-07-06")).toEqual([id, any].sort());
    expect(await found("GR", "2026-07-01", "2026-07-07")).toEqual([any]);
  });

  it("counts notice and booking window from each listing's today, on its own clock", async () => {
    const zones = {
      kiritimati: "Pacific/Kiritimati", // UTC+14: 2026-06-02 01:30
      tokyo: "Asia/Tokyo", // UTC+9: 2026-06-01 20:30
      lisbon: "Europe/Lisbon", // UTC+1: 2026-06-01 12:30
      losAngeles: "America/Los_Angeles", // UTC-7: 2026-06-01 04:30
      pagoPago: "Pacific/Pago_Pago", // UTC-11: 2026-06-01 00:30
    };
    const noNotice: Record<string, string> = {};
    const ids: string[] = [];
    for (const [place, timezone] of Object.entries(zones)) {
      for (const advanceNoticeDays of [0, 1]) {
        const id = await listing("JP", { timezone, advanceNoticeDays, bookingWindowDays: 30 });
        ids.push(id);
        if (advanceNoticeDays === 0) noNotice[place] = id;
      }
    }
    const stays = [
      ["2026-06-01", "2026-06-03"],
      ["2026-06-02", "2026-06-04"],
      ["2026-06-03", "2026-06-05"],
      ["2026-07-01", "2026-07-03"],
      ["2026-07-02", "2026-07-04"],
      ["2026-07-03", "2026-07-05"],
    ] as const;
    const check = async () => {
      for (const [checkIn, checkOut] of stays) {
        const expected = await quotable(ids, checkIn, checkOut);
        expect(await found("JP", checkIn, checkOut), `${clock.now().toISOString()} ${checkIn}`).toEqual(
          expected,
        );
      }
    };
    await check();
    // 2026-06-01 is yesterday in Kiritimati, today everywhere else.
    const { kiritimati: _, ...westOfTheDateLine } = noNotice;
    expect(await found("JP", "2026-06-01", "2026-06-03")).toEqual(Object.values(westOfTheDateLine).sort());
    // Today only on Baker Island (UTC-12), where no listing is.
    expect(await found("JP", "2026-05-31", "2026-06-02")).toEqual([]);
    // At 01:00 UTC it is 2026-06-02 in Tokyo and Lisbon, still 2026-06-01 in Los Angeles and Pago Pago.
    clock.advance(13.5 * 3_600_000);
    await check();
    clock.advance(-13.5 * 3_600_000);
  });

  it("shows each stay's total as bookings.quote prices it: date prices, discounts, cleaning, fees and taxes", async () => {
    const weekends = await listing("GB", { nightlyPrice: 10_000, cleaningFee: 2_500, currency: "GBP" });
    const discounts = await listing("GB", {
      nightlyPrice: 9_999,
      weeklyDiscountPercent: 10,
      monthlyDiscountPercent: 25,
    });
    const plain = await listing("GB", { nightlyPrice: 15_000, cleaningFee: 0, weeklyDiscountPercent: 5 });
    const ids = [weekends, discounts, plain];
    await insertCalendarDays(db(), [
      { listingId: weekends, day: "2026-07-03", price: 18_000 },
      { listingId: weekends, day: "2026-07-04", price: 18_000 },
      { listingId: discounts, day: "2026-07-10", price: 5_000 },
      { listingId: discounts, day: "2026-06-30", price: 99_000 },
    ]);
    for (const [checkIn, checkOut, nights] of [
      ["2026-07-01", "2026-07-04", 3],
      ["2026-07-01", "2026-07-08", 7],
      ["2026-07-01", "2026-07-29", 28],
    ] as const) {
      const { items } = await searchPage(t, `country=GB&checkIn=${checkIn}&checkOut=${checkOut}&limit=50`);
      expect(items.map((item) => item.id).sort()).toEqual([...ids].sort());
      for (const item of items) {
        const quote = await t.call(quoteBooking, {
          body: { listingId: item.id, checkIn, checkOut, guests: 2 },
        });
        expectStatus(quote, 200);
        expect(item.stay, `${item.id} ${checkIn}–${checkOut}`).toEqual({
          nights,
          total: quote.body.total,
          currency: quote.body.currency,
        });
      }
    }
    const undated = await searchPage(t, "country=GB");
    expect(undated.items.every((item) => item.stay === undefined)).toBe(true);
  });

  it("pages with a cursor without skipping or repeating, in every order", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) {
      const id = await listing("NZ", {
        nightlyPrice: 10_000 + (i % 3) * 1_000, // prices tie
        lat: -36.85 + i * 0.002,
        lng: 174.76,
        ratingSum: i % 4 === 0 ? 0 : 2 + (i % 4),
        ratingCount: i % 4 === 0 ? 0 : 1,
        timezone: "Pacific/Auckland",
      });
      ids.push(id);
      if (i % 4 === 1) await book(id, "2026-08-02", "2026-08-05");
    }
    const stay = "checkIn=2026-08-01&checkOut=2026-08-04";
    for (const query of [
      ...["price_asc", "price_desc", "newest", "rating"].map((sort) => `country=NZ&sort=${sort}&${stay}`),
      ...["price_asc", "newest", "distance"].map(
        (sort) => `near=-36.85,174.76&radiusKm=5&sort=${sort}&${stay}`,
      ),
      `bbox=-37,174,-36,175&sort=rating&${stay}`,
    ]) {
      const paged = await allPages(t, query, 2);
      const whole = (await searchPage(t, `${query}&limit=50`)).items;
      expect(
        paged.map((item) => item.id),
        query,
      ).toEqual(whole.map((item) => item.id));
      expect(whole, query).toHaveLength(7);
      expect(paged.every((item) => item.stay?.nights === 3)).toBe(true);
    }
  });

  it("shows a new booking or blocked date in the very next search: dated answers are never cached", async () => {
    const id = await listing("SE");
    const search = async (query: string) => {
      const answer = await t.call(searchListings, { query });
      expectStatus(answer, 200);
      return {
        ids: answer.body.items.map((item) => item.id),
        cacheControl: answer.headers.get("cache-control"),
      };
    };
    const booked = "country=SE&checkIn=2026-07-01&checkOut=2026-07-03";
    const blocked = "country=SE&checkIn=2026-07-05&checkOut=2026-07-07";
    expect(await search(booked)).toEqual({ ids: [id], cacheControl: "no-cache" });
    expect(await search(blocked)).toEqual({ ids: [id], cacheControl: "no-cache" });
    await book(id, "2026-07-02", "2026-07-04", "requested");
    expect((await search(booked)).ids).toEqual([]);
    expect((await search(blocked)).ids).toEqual([id]);
    await insertCalendarDays(db(), [{ listingId: id, day: "2026-07-06", blocked: true }]);
    expect((await search(blocked)).ids).toEqual([]);
    expect(await search("country=SE")).toEqual({ ids: [id], cacheControl: "public, max-age=15" });
  });

  it.each([
    ["checkIn without checkOut", "checkIn=2026-07-01", "query.checkOut"],
    ["checkOut without checkIn", "checkOut=2026-07-01", "query.checkIn"],
    ["a malformed checkIn", "checkIn=2026-7-1&checkOut=2026-07-03", "query.checkIn"],
    ["a malformed checkOut", "checkIn=2026-07-01&checkOut=tomorrow", "query.checkOut"],
    ["an impossible date", "checkIn=2026-02-30&checkOut=2026-03-02", "query.checkIn"],
    ["checkOut on checkIn", "checkIn=2026-07-01&checkOut=2026-07-01", "query.checkOut"],
    ["checkOut before checkIn", "checkIn=2026-07-03&checkOut=2026-07-01", "query.checkOut"],
    ["a stay over 1095 nights", "checkIn=2026-07-01&checkOut=2029-07-02", "query.checkOut"],
    ["a check-in in the past everywhere", "checkIn=2026-05-30&checkOut=2026-06-02", "query.checkIn"],
    ["a check-in beyond every booking window", "checkIn=2028-06-03&checkOut=2028-06-05", "query.checkIn"],
  ])("returns 400 for %s", async (_what, query, location) => {
    const refused = await t.call(searchListings, { query });
    expectStatus(refused, 400);
    expect(refused.body.errors?.map((e) => e.location)).toEqual([location]);
  });
});
