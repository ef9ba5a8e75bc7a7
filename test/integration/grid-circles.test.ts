/**
 * Radius searches, sorted by price, date or rating, and nearest first: for every circle (in the
 * biggest city, on a cell corner, across the antimeridian, round the poles), with filters, and
 * through crowds at one spot, each page must hold what a brute-force scan computing the search's
 * own chord finds, in order, with its distance, without skipping or repeating a listing.
 */
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { haversineKm } from "../support/geo.ts";
import { big, circles, spot } from "../support/grid-places.ts";
import {
  checkDistances,
  difference,
  firstPages,
  nearestByChord,
  nearQuery,
  order,
  published,
  readStored,
  type Stored,
  withinChord,
} from "../support/grid-scan.ts";
import { seedGridWorld, seedNearestFirstExtras } from "../support/grid-world.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { engine } from "../support/test-database.ts";

let t: TestApp;
let db: Database;
let stored: Stored[] = [];
let spotIds: string[] = [];
let beyondIds: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const world = await seedGridWorld(t);
  ({ spotIds, beyondIds } = await seedNearestFirstExtras(t, world));
  db = world.db;
  stored = await readStored(db);
}, 120_000);
afterAll(() => t.close());

describe(`radius searches not sorted by distance agree with a brute-force scan (${engine})`, () => {
  it.each(circles.map((c) => [c.name, c] as const))(
    "%s: every listing within the radius, cheapest first, and no other",
    async (_name, c) => {
      const exact = await withinChord(db, c);
      const candidates = published(stored);
      // Haversine, with a micrometre's doubt for the listings placed right on the circle.
      const tolerance = 1e-6;
      const surely = candidates.filter((s) => haversineKm(c.lat, c.lng, s.lat, s.lng) < c.km - tolerance);
      const maybe = candidates.filter((s) => haversineKm(c.lat, c.lng, s.lat, s.lng) <= c.km + tolerance);
      for (const s of surely) expect(exact.has(s.id), `${s.lat},${s.lng} is inside`).toBe(true);
      const maybeIds = new Set(maybe.map((s) => s.id));
      for (const id of exact) expect(maybeIds.has(id), `${id} is outside`).toBe(true);
      expect(exact.size, "listings in the circle").toBeGreaterThan(0);

      const expected = candidates
        .filter((s) => exact.has(s.id))
        .sort(order.price_asc)
        .map((s) => s.id);
      const got = await firstPages(t, `${nearQuery(c)}&sort=price_asc`, 50, 100);
      expect(got.more).toBe(false);
      expect(got.ids, difference(stored, c.name, got.ids, expected)).toEqual(expected);
      for (const km of got.distances) expect(km).toBeLessThanOrEqual(c.km + 1e-3);
    },
  );

  it("agree in the other sorts too, on their first pages", async () => {
    for (const c of circles) {
      const exact = await withinChord(db, c);
      const candidates = published(stored).filter((s) => exact.has(s.id));
      for (const sort of ["price_desc", "newest", "rating"] as const) {
        const expected = [...candidates].sort(order[sort]).map((s) => s.id);
        const got = await firstPages(t, `${nearQuery(c)}&sort=${sort}`, 10, 2);
        const first = expected.slice(0, 20);
        expect(got.ids, difference(stored, `${c.name}, ${sort}`, got.ids, first)).toEqual(first);
        expect(got.more, `${c.name}, ${sort}`).toBe(expected.length > got.ids.length);
      }
    }
  });
});

describe(`nearest-first searches agree with a brute-force scan (${engine})`, () => {
  it.each(circles.map((c) => [c.name, c] as const))(
    "%s: every page in turn, 7 at a time, holds the brute-force rows in (distance, id) order",
    async (_name, c) => {
      const expected = await nearestByChord(db, c);
      expect(expected.length, "listings in the circle").toBeGreaterThan(0);
      const ids = expected.map((r) => r.id);
      const got = await firstPages(t, `${nearQuery(c)}&sort=distance`, 7, Math.ceil(ids.length / 7) + 2);
      expect(got.more, `${c.name}: a page after the last`).toBe(false);
      expect(new Set(got.ids).size, `${c.name}: listings given twice`).toBe(got.ids.length);
      expect(got.ids, difference(stored, c.name, got.ids, ids)).toEqual(ids);
      checkDistances(c.name, c, got, expected);
    },
  );

  it("gives the brute-force first rows on the first 3 pages at limits 1, 20 (sort left to default) and 50", async () => {
    for (const c of circles) {
      const expected = await nearestByChord(db, c);
      const ids = expected.map((r) => r.id);
      for (const [limit, sort] of [
        [1, "&sort=distance"],
        [20, ""],
        [50, "&sort=distance"],
      ] as const) {
        const label = `${c.name}, limit ${limit}${sort}`;
        const got = await firstPages(t, `${nearQuery(c)}${sort}`, limit, 3);
        const first = ids.slice(0, 3 * limit);
        expect(got.ids, difference(stored, label, got.ids, first)).toEqual(first);
        expect(got.more, `${label}: next page offered`).toBe(ids.length > got.ids.length);
        checkDistances(label, c, got, expected);
      }
    }
  });
});

describe(`nearest-first searches with filters, and through a crowd at one spot, agree with a brute-force scan (${engine})`, () => {
  it("agrees with filters on guests, price, instant booking and property type", async () => {
    const filters: Array<[string, SQL]> = [
      [
        "guests=4&minPrice=7500&maxPrice=20000",
        sql`max_guests >= 4 and nightly_price between 7500 and 20000`,
      ],
      ["instantBook=true", sql`instant_book = true`],
      ["instantBook=false&maxPrice=12500", sql`instant_book = false and nightly_price <= 12500`],
      ["propertyType=private_room", sql`property_type = 'private_room'`],
      [
        "propertyType=entire_home&guests=3&minPrice=7500",
        sql`property_type = 'entire_home' and max_guests >= 3 and nightly_price >= 7500`,
      ],
    ];
    const around = circles.filter((c) => c.lat === big.lat && c.lng === big.lng && c.km >= 40);
    expect(around.length).toBe(2);
    for (const c of around) {
      const all = await nearestByChord(db, c);
      for (const [query, filter] of filters) {
        const label = `${c.name}, ${query}`;
        const expected = await nearestByChord(db, c, filter);
        // Each filter leaves some listings out, and some in.
        expect(expected.length, `${label}: listings left`).toBeGreaterThan(0);
        expect(expected.length, `${label}: listings left`).toBeLessThan(all.length);
        const ids = expected.map((r) => r.id);
        const got = await firstPages(t, `${nearQuery(c)}&${query}`, 13, Math.ceil(ids.length / 13) + 2);
        expect(got.more, `${label}: a page after the last`).toBe(false);
        expect(got.ids, difference(stored, label, got.ids, ids)).toEqual(ids);
        checkDistances(label, c, got, expected);
      }
    }
  });

  it("pages through listings at one spot in id order, each once, with limits 2 and 3", async () => {
    const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const spotInOrder = [...spotIds].sort(byString);
    const beyondInOrder = [...beyondIds].sort(byString);
    expect(new Set(spotIds).size).toBe(7);
    for (const c of [
      { name: "centred on the spot", ...spot, km: 20 },
      { name: "west of the spot", lat: 12.3456, lng: -40.2, km: 20 },
      { name: "east of the spot", lat: 12.3456, lng: -40.05, km: 20 },
    ]) {
      const expected = await nearestByChord(db, c);
      const ids = expected.map((r) => r.id);
      // The brute force itself: each group at one distance, and so in id order, and more than it.
      const at = (group: string[]) => ids.findIndex((id) => group.includes(id));
      expect(ids.slice(at(spotIds), at(spotIds) + 7), c.name).toEqual(spotInOrder);
      expect(ids.slice(at(beyondIds), at(beyondIds) + 3), c.name).toEqual(beyondInOrder);
      expect(new Set(expected.filter((r) => spotIds.includes(r.id)).map((r) => r.chord)).size).toBe(1);
      expect(ids.length, c.name).toBeGreaterThan(10);
      for (const limit of [2, 3]) {
        const label = `${c.name}, limit ${limit}`;
        const got = await firstPages(
          t,
          `${nearQuery(c)}&sort=distance`,
          limit,
          Math.ceil(ids.length / limit) + 2,
        );
        expect(got.more, `${label}: a page after the last`).toBe(false);
        expect(got.ids, difference(stored, label, got.ids, ids)).toEqual(ids);
        checkDistances(label, c, got, expected);
      }
    }
  });
});
