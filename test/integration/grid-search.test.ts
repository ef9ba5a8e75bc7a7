import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { cellOf, GRID_LEVELS } from "../../src/db/grid.ts";
import { listings } from "../../src/db/schema/listings.ts";
import { propertyTypes } from "../../src/domain/listings/vocabulary.ts";
import { signUp } from "../support/auth-helpers.ts";
import { createListing } from "../support/listing-factory.ts";
import { createRng, type Rng } from "../support/prng.ts";
import { generateCities, generateListings, type ListingRow, seedListings } from "../support/seed.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { engine, queryRows } from "../support/test-database.ts";

/**
 * Place searches walk map grid cells (src/db/grid.ts): these checks compare what they return with
 * a brute-force reading of every listing, on seeded data plus listings placed on the awkward spots
 * (cell boundaries, the poles, the antimeridian, the rim of each searched circle).
 */

const SEEDED = 2_500;
/** The generator's seed: `big` below must be a city of this very data set. */
const SEED = 99;
const EARTH_RADIUS_KM = 6371;
const sorts = ["price_asc", "price_desc", "newest", "rating"] as const;
type Sort = (typeof sorts)[number];

interface Stored {
  id: string;
  lat: number;
  lng: number;
  status: string;
  nightlyPrice: number;
  createdAt: Date;
  ratingSum: number;
  ratingCount: number;
}

interface Place {
  name: string;
  swLat: number;
  swLng: number;
  neLat: number;
  neLng: number;
}

interface Circle {
  name: string;
  lat: number;
  lng: number;
  km: number;
}

let t: TestApp;
let db: Database;
let stored: Stored[] = [];
let edgeProbeIds: string[] = [];
let antimeridianIds: string[] = [];

const big = generateCities(SEED)[0];
if (!big) throw new Error("no cities generated");
/** A point on 0.01° grid lines in the biggest city, where the densest cells are. */
const corner = { lat: Math.round(big.lat * 100) / 100, lng: Math.round(big.lng * 100) / 100 };

const boxes: Place[] = [
  {
    name: "tiny (0.001°) across 0.01° cell lines",
    swLat: corner.lat - 0.0005,
    swLng: corner.lng - 0.0005,
    neLat: corner.lat + 0.0005,
    neLng: corner.lng + 0.0005,
  },
  {
    name: "~10 km",
    swLat: big.lat - 0.045,
    swLng: big.lng - 0.065,
    neLat: big.lat + 0.045,
    neLng: big.lng + 0.065,
  },
  {
    name: "~50 km",
    swLat: big.lat - 0.22,
    swLng: big.lng - 0.3,
    neLat: big.lat + 0.22,
    neLng: big.lng + 0.3,
  },
  { name: "~500 km", swLat: big.lat - 2.2, swLng: big.lng - 3, neLat: big.lat + 2.2, neLng: big.lng + 3 },
  {
    name: "edges on 0.01° lines",
    swLat: corner.lat - 0.03,
    swLng: corner.lng - 0.02,
    neLat: corner.lat + 0.02,
    neLng: corner.lng + 0.04,
  },
  { name: "edges on 10° lines", swLat: 30, swLng: -10, neLat: 50, neLng: 10 },
  { name: "whole world", swLat: -90, swLng: -180, neLat: 90, neLng: 180 },
  { name: "across the antimeridian", swLat: -20, swLng: 175, neLat: -10, neLng: -175 },
  { name: "the north polar cap", swLat: 80, swLng: -180, neLat: 90, neLng: 180 },
  { name: "the south pole, western half", swLat: -90, swLng: -180, neLat: -85, neLng: 0 },
  { name: "across the antimeridian, all but 1°", swLat: -60, swLng: 5, neLat: 60, neLng: 4 },
  { name: "up to lat 90", swLat: 60, swLng: 170, neLat: 90, neLng: 179.5 },
];

const circles: Circle[] = [
  { name: "5 km in the biggest city", lat: big.lat, lng: big.lng, km: 5 },
  { name: "40 km round the biggest city", lat: big.lat, lng: big.lng, km: 40 },
  { name: "100 km round the biggest city", lat: big.lat, lng: big.lng, km: 100 },
  { name: "on a 0.01° corner", lat: corner.lat, lng: corner.lng, km: 0.1 },
  { name: "across the antimeridian", lat: -16.85, lng: 179.95, km: 50 },
  { name: "at lng 180 on the equator", lat: 0, lng: 180, km: 30 },
  { name: "at lng -180 on the equator", lat: 0, lng: -180, km: 30 },
  { name: "holding the north pole", lat: 89.6, lng: 30, km: 100 },
  { name: "near the north pole, not holding it", lat: 88.9, lng: -120, km: 100 },
  { name: "holding the south pole", lat: -89.95, lng: 0, km: 10 },
];

/** Longitudes a box edge is often drawn on; each gets a listing of its own, alone in the ocean. */
const EDGE_LNGS = [2.35, 13.4, -73.98, 139.69, -101.33, 151.21];
const edgeProbes: Array<[number, number]> = EDGE_LNGS.map((lng, i) => [
  Number((-47 - i / 10).toFixed(1)),
  lng,
]);

// ——— Geometry, done here independently of the code under test ———

const rad = (degrees: number) => (degrees * Math.PI) / 180;
const deg = (radians: number) => (radians * 180) / Math.PI;
const wrapLng = (lng: number) => (lng > 180 ? lng - 360 : lng < -180 ? lng + 360 : lng);

/** Great-circle distance (haversine), in kilometres. */
function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const a =
    Math.sin(rad(lat2 - lat1) / 2) ** 2 +
    Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lng2 - lng1) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The point `km` away from a centre along `bearing` (degrees from north). */
function destination(c: { lat: number; lng: number }, km: number, bearing: number): [number, number] {
  const d = km / EARTH_RADIUS_KM;
  const φ1 = rad(c.lat);
  const θ = rad(bearing);
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(θ));
  const λ = Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
  return [Math.max(-90, Math.min(90, deg(φ2))), wrapLng(c.lng + deg(λ))];
}

/** Points on, just inside and just outside a circle, including its westmost and eastmost points. */
function rim(c: Circle): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (const scale of [1, 1 - 1e-6, 1 + 1e-6]) {
    for (let bearing = 0; bearing < 360; bearing += 45) points.push(destination(c, c.km * scale, bearing));
    const d = (c.km * scale) / EARTH_RADIUS_KM;
    const cosLat = Math.cos(rad(c.lat));
    if (Math.sin(d) < cosLat) {
      const lat = deg(Math.asin(Math.sin(rad(c.lat)) / Math.cos(d)));
      const dLng = deg(Math.asin(Math.sin(d) / cosLat));
      points.push([lat, wrapLng(c.lng - dLng)], [lat, wrapLng(c.lng + dLng)]);
    }
  }
  return points;
}

/**
 * Inclusive on every edge; a box whose west edge is east of its east edge crosses the antimeridian.
 * Longitudes 180 and -180 are one meridian: a listing on it is in a box reaching either side.
 */
function inBox(p: Place, lat: number, lng: number): boolean {
  if (lat < p.swLat || lat > p.neLat) return false;
  const within = (x: number) =>
    p.swLng <= p.neLng ? x >= p.swLng && x <= p.neLng : x >= p.swLng || x <= p.neLng;
  return Math.abs(lng) === 180 ? within(180) || within(-180) : within(lng);
}

const byId = (a: Stored, b: Stored) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const ratingKey = (s: Stored) => (s.ratingCount === 0 ? -1 : s.ratingSum / s.ratingCount);

/** The order each sort promises: its key, then id, both in the sort's direction. */
const order: Record<Sort, (a: Stored, b: Stored) => number> = {
  price_asc: (a, b) => a.nightlyPrice - b.nightlyPrice || byId(a, b),
  price_desc: (a, b) => b.nightlyPrice - a.nightlyPrice || byId(b, a),
  newest: (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || byId(b, a),
  rating: (a, b) => ratingKey(b) - ratingKey(a) || byId(b, a),
};

// ——— Data ———

/** A lowercase UUIDv7-shaped id from the PRNG. */
function uuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16)).join("");
  return `0199${hex.slice(4, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Values lying exactly on grid lines, as typed and as computed, and the extremes. */
function edgeValues(rng: Rng, limit: 90 | 180): number[] {
  const values = [-limit, limit, 0, -0, limit - 0.01, -limit + 0.01, limit - 1e-9, -limit + 1e-9];
  for (const spacing of [0.01, 0.1, 1, 10]) {
    for (let i = 0; i < 6; i++) {
      const k = Math.round(((rng.next() * 2 - 1) * limit) / spacing);
      values.push(k * spacing, Number((k * spacing).toFixed(2)));
    }
  }
  return values.filter((v) => v >= -limit && v <= limit);
}

async function insertRows(
  rng: Rng,
  hostId: string,
  places: Array<[number, number]>,
  status?: "published",
): Promise<string[]> {
  const template = generateListings(1, 4242).next().value;
  if (!template) throw new Error("no template listing");
  const rows: ListingRow[] = places.map(([lat, lng]) => {
    const ratingCount = rng.chance(0.3) ? 0 : rng.int(1, 6);
    // Few distinct prices, ratings and instants, so ties are broken by id everywhere.
    const createdAt = new Date(Date.UTC(2026, 0, 1) + rng.int(0, 40) * 3_600_000);
    return {
      ...template,
      id: uuid(rng),
      hostId,
      lat,
      lng,
      nightlyPrice: rng.pick([5_000, 7_500, 10_000, 12_500, rng.int(3_000, 90_000)]),
      status:
        status ??
        rng.pick(["published", "published", "published", "published", "draft", "unlisted"] as const),
      ratingCount,
      ratingSum: ratingCount * rng.int(3, 5),
      createdAt,
      updatedAt: createdAt,
    };
  });
  for (let i = 0; i < rows.length; i += 500) await db.insert(listings).values(rows.slice(i, i + 500));
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.db.database.connect().db;
  await seedListings(db, { count: SEEDED, seed: SEED });
  const [host] = await queryRows<{ id: string }>(db, sql`select id from users order by id limit 1`);
  if (!host) throw new Error("no seeded host");
  const rng = createRng(2026);

  const places: Array<[number, number]> = [];
  // Every combination of edge latitudes and longitudes (a sample: there are a few thousand).
  const lats = edgeValues(rng, 90);
  const lngs = edgeValues(rng, 180);
  for (const lat of lats) for (const lng of lngs) if (rng.chance(0.12)) places.push([lat, lng]);
  for (const lat of [90, -90]) for (const lng of [180, -180, 0]) places.push([lat, lng]);
  // Anywhere on Earth.
  for (let i = 0; i < 300; i++) places.push([-90 + rng.next() * 180, -180 + rng.next() * 360]);
  // Crowded cells around a 0.01° corner of the biggest city, on and beside its lines.
  for (let i = 0; i < 60; i++) {
    const lat = corner.lat + (rng.next() - 0.5) * rng.pick([0.001, 0.002, 0.08]);
    const lng = corner.lng + (rng.next() - 0.5) * rng.pick([0.001, 0.002, 0.08]);
    places.push([lat, lng], [corner.lat, lng], [lat, corner.lng]);
  }
  // Each box's corners and edges, exactly.
  for (const b of boxes) {
    const midLat = (b.swLat + b.neLat) / 2;
    places.push([b.swLat, b.swLng], [b.neLat, b.neLng], [b.swLat, b.neLng], [b.neLat, b.swLng]);
    places.push([midLat, b.swLng], [midLat, b.neLng], [b.swLat, (b.swLng + b.neLng) / 2]);
  }
  // Either side of the 1° gap (lng 4 to 5) of the box across the antimeridian spanning all but it.
  for (let i = 0; i < 40; i++) places.push([-60 + rng.next() * 120, -1 + rng.next() * 7]);
  // Round the antimeridian and the poles, where the box searches split or widen.
  for (let i = 0; i < 80; i++) {
    places.push([-20 + rng.next() * 10, rng.chance(0.5) ? 175 + rng.next() * 5 : -180 + rng.next() * 5]);
    places.push([80 + rng.next() * 10, -180 + rng.next() * 360]);
    places.push([-90 + rng.next() * 5, -180 + rng.next() * 360]);
  }
  for (const c of circles) places.push(...rim(c), [c.lat, c.lng]);
  await insertRows(rng, host.id, places);
  edgeProbeIds = await insertRows(rng, host.id, edgeProbes, "published");
  antimeridianIds = await insertRows(
    rng,
    host.id,
    [
      [-30, 180],
      [-30, -180],
    ],
    "published",
  );

  // A few through the API too, as a host would create them.
  const user = await signUp(t);
  for (const [lat, lng] of [
    [90, 180],
    [-90, -180],
    [0, 180],
    [0, -180],
    [corner.lat, corner.lng],
    [-16.85, 180],
  ] as const) {
    await createListing(t, user.accessToken, { location: { lat, lng }, nightlyPrice: 7_500 });
  }

  stored = (
    await db
      .select({
        id: listings.id,
        lat: listings.lat,
        lng: listings.lng,
        status: listings.status,
        nightlyPrice: listings.nightlyPrice,
        createdAt: listings.createdAt,
        ratingSum: listings.ratingSum,
        ratingCount: listings.ratingCount,
      })
      .from(listings)
  ).map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
}, 120_000);
afterAll(() => t.close());

// ——— Searching through the API ———

interface Page {
  items: Array<{ id: string; distanceKm?: number }>;
  nextCursor: string | null;
}

async function search(query: string): Promise<Page> {
  const response = await t.request(`/v1/listings?${query}`);
  const body = await response.json();
  expect(response.status, `${query}: ${JSON.stringify(body)}`).toBe(200);
  return body as Page;
}

/** Up to `pages` pages following nextCursor: the ids in order, and whether a next page was offered. */
async function firstPages(query: string, limit: number, pages: number) {
  const ids: string[] = [];
  const distances: number[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < pages; n++) {
    const page = await search(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    ids.push(...page.items.map((i) => i.id));
    distances.push(...page.items.flatMap((i) => (i.distanceKm === undefined ? [] : [i.distanceKm])));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return { ids, distances, more: cursor !== null };
}

const published = () => stored.filter((s) => s.status === "published");

/** Where two id lists part, with each listing's place and price: a readable failure message. */
function difference(label: string, got: string[], expected: string[]): string {
  const at = (id: string) => {
    const s = stored.find((x) => x.id === id);
    return s ? `${id} at (${s.lat}, ${s.lng}), price ${s.nightlyPrice}` : id;
  };
  const missing = expected.filter((id) => !got.includes(id)).map(at);
  const extra = got.filter((id) => !expected.includes(id)).map(at);
  const twice = got.filter((id, i) => got.indexOf(id) !== i).map(at);
  const first = got.findIndex((id, i) => id !== expected[i]);
  return `${label}: first difference at #${first}; missing ${JSON.stringify(missing.slice(0, 5))}; unexpected ${JSON.stringify(extra.slice(0, 5))}; repeated ${JSON.stringify(twice.slice(0, 5))}`;
}

describe(`grid cells stored with each listing (${engine})`, () => {
  it("equal cellOf at every level for every stored listing, edge coordinates included", async () => {
    const rows = await queryRows<{
      id: string;
      lat: number;
      lng: number;
      cell_0: number;
      cell_1: number;
      cell_2: number;
      cell_3: number;
    }>(db, sql`select id, lat, lng, cell_0, cell_1, cell_2, cell_3 from listings`);
    expect(rows.length).toBeGreaterThan(SEEDED + 500);
    const edges = rows.filter((r) => Math.abs(Number(r.lat)) === 90 || Math.abs(Number(r.lng)) === 180);
    expect(edges.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const r of rows) {
      for (let level = 0; level < GRID_LEVELS; level++) {
        const actual = Number(r[`cell_${level}` as `cell_${0 | 1 | 2 | 3}`]);
        const expected = cellOf(level, Number(r.lat), Number(r.lng));
        if (actual !== expected) {
          wrong.push(`(${r.lat}, ${r.lng}) level ${level}: stored ${actual}, cellOf ${expected}`);
        }
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it("include listings exactly on the poles and on both signs of the antimeridian", () => {
    const poles = stored.filter((s) => s.lat === 90 || s.lat === -90);
    expect(poles.length).toBeGreaterThan(5);
    expect(stored.some((s) => s.lng === 180) && stored.some((s) => s.lng === -180)).toBe(true);
  });
});

describe(`box searches walking grid cells agree with a brute-force scan (${engine})`, () => {
  it.each(boxes.map((b, i) => [b.name, b, [5, 20, 50][i % 3] ?? 20] as const))(
    "%s: the first pages in every sort are the brute-force first rows",
    async (_name, box, limit) => {
      const inside = published().filter((s) => inBox(box, s.lat, s.lng));
      expect(inside.length, "listings in the box").toBeGreaterThan(0);
      for (const sort of sorts) {
        const expected = [...inside].sort(order[sort]).map((s) => s.id);
        const got = await firstPages(
          `bbox=${box.swLat},${box.swLng},${box.neLat},${box.neLng}&sort=${sort}`,
          limit,
          3,
        );
        const first = expected.slice(0, got.ids.length);
        expect(got.ids, difference(`${box.name}, ${sort}`, got.ids, first)).toEqual(first);
        expect(got.ids.length, `${box.name}, ${sort}`).toBe(Math.min(expected.length, 3 * limit));
        expect(got.more, `${box.name}, ${sort}: next page offered`).toBe(expected.length > got.ids.length);
      }
    },
  );

  it("finds every listing of a crowded tiny box whatever the sort, none twice", async () => {
    const box = boxes[0];
    if (!box) throw new Error("no box");
    const inside = published().filter((s) => inBox(box, s.lat, s.lng));
    expect(inside.length).toBeGreaterThan(20);
    for (const sort of sorts) {
      const got = await firstPages(
        `bbox=${box.swLat},${box.swLng},${box.neLat},${box.neLng}&sort=${sort}`,
        3,
        100,
      );
      expect(got.more).toBe(false);
      expect(new Set(got.ids).size, sort).toBe(got.ids.length);
      const expected = [...inside].sort(order[sort]).map((s) => s.id);
      expect(got.ids, difference(`tiny box, ${sort}`, got.ids, expected)).toEqual(expected);
    }
  });
});

describe(`radius searches not sorted by distance agree with a brute-force scan (${engine})`, () => {
  /** The published listings within the circle by the search's own chord test, in SQL without cells. */
  async function withinChord(c: Circle): Promise<Set<string>> {
    const lat = rad(c.lat);
    const lng = rad(c.lng);
    const centre = [Math.cos(lat) * Math.cos(lng), Math.cos(lat) * Math.sin(lng), Math.sin(lat)];
    const chord = 2 * Math.sin(c.km / (2 * EARTH_RADIUS_KM));
    const rows = await queryRows<{ id: string }>(
      db,
      sql`select id from listings where status = 'published' and cube_distance(
        cube(array[cosd(lat) * cosd(lng), cosd(lat) * sind(lng), sind(lat)]),
        cube(array[${centre[0]}, ${centre[1]}, ${centre[2]}]::float8[])) <= ${chord}::float8`,
    );
    return new Set(rows.map((r) => r.id));
  }

  it.each(circles.map((c) => [c.name, c] as const))(
    "%s: every listing within the radius, cheapest first, and no other",
    async (_name, c) => {
      const exact = await withinChord(c);
      const candidates = published();
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
      const got = await firstPages(`near=${c.lat},${c.lng}&radiusKm=${c.km}&sort=price_asc`, 50, 100);
      expect(got.more).toBe(false);
      expect(got.ids, difference(c.name, got.ids, expected)).toEqual(expected);
      for (const km of got.distances) expect(km).toBeLessThanOrEqual(c.km + 1e-3);
    },
  );

  it("agree in the other sorts too, on their first pages", async () => {
    for (const c of circles) {
      const exact = await withinChord(c);
      const candidates = published().filter((s) => exact.has(s.id));
      for (const sort of ["price_desc", "newest", "rating"] as const) {
        const expected = [...candidates].sort(order[sort]).map((s) => s.id);
        const got = await firstPages(`near=${c.lat},${c.lng}&radiusKm=${c.km}&sort=${sort}`, 10, 2);
        const first = expected.slice(0, 20);
        expect(got.ids, difference(`${c.name}, ${sort}`, got.ids, first)).toEqual(first);
        expect(got.more, `${c.name}, ${sort}`).toBe(expected.length > got.ids.length);
      }
    }
  });
});

describe(`box edges and the antimeridian (${engine})`, () => {
  it("returns a listing lying exactly on a box's west or east edge, as the edges were given", async () => {
    const missing: string[] = [];
    for (const [i, [lat, lng]] of edgeProbes.entries()) {
      const id = edgeProbeIds[i];
      const near = (x: number) => (x + 0.01).toFixed(2);
      const below = (x: number) => (x - 0.01).toFixed(2);
      // The listing on the box's west edge, then on its east edge.
      for (const bbox of [
        `${below(lat)},${lng},${near(lat)},${near(lng)}`,
        `${below(lat)},${below(lng)},${near(lat)},${lng}`,
      ]) {
        const found = (await search(`bbox=${bbox}&limit=50`)).items.map((item) => item.id);
        if (!found.includes(id ?? "")) missing.push(`listing at (${lat}, ${lng}) not found by bbox=${bbox}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("treats the antimeridian alike from either side: boxes ending at 180 and starting at -180 hold the same listings on it", async () => {
    // One listing stored at (-30, 180), one at (-30, -180): the same place.
    const onMeridian = (items: Page["items"]) =>
      items
        .filter((item) => antimeridianIds.includes(item.id))
        .map((item) => `stored at lng ${stored.find((s) => s.id === item.id)?.lng}`)
        .sort();
    const east = onMeridian((await search("bbox=-31,170,-29,180&limit=50")).items);
    const west = onMeridian((await search("bbox=-31,-180,-29,-170&limit=50")).items);
    expect(east, "found by bbox=-31,170,-29,180, then by bbox=-31,-180,-29,-170").toEqual(west);
  });

  it("lists each listing once for a box across the antimeridian spanning all but a degree", async () => {
    for (const sort of sorts) {
      const { ids } = await firstPages(`bbox=-60,5,60,4&sort=${sort}`, 50, 2);
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      const where = twice.map((id) => stored.find((s) => s.id === id)).map((s) => `(${s?.lat}, ${s?.lng})`);
      expect(where, sort).toEqual([]);
    }
  });
});

describe(`nearest-first searches agree with a brute-force scan (${engine})`, () => {
  /** Where several listings share one spot, alone in the Atlantic, far from every other circle. */
  const spot = { lat: 12.3456, lng: -40.1234 };
  const spotIds: string[] = [];
  /** A second, smaller group at one spot a little farther on, so two tie groups follow each other. */
  const beyond: [number, number] = [12.3456, -40.0934];
  const beyondIds: string[] = [];

  beforeAll(async () => {
    // Some through the API (time-ordered UUIDv7 ids, created first), some straight into the table
    // with random ids: the id order is neither the order of creation nor of storage.
    const user = await signUp(t);
    for (let i = 0; i < 3; i++) {
      const created = await createListing(t, user.accessToken, {
        location: spot,
        nightlyPrice: 7_500 + i * 1_000,
        status: "published",
      });
      spotIds.push(created.id);
    }
    const rng = createRng(4711);
    spotIds.push(
      ...(await insertRows(
        rng,
        user.id,
        Array.from({ length: 4 }, () => [spot.lat, spot.lng]),
        "published",
      )),
    );
    beyondIds.push(
      ...(await insertRows(
        rng,
        user.id,
        Array.from({ length: 3 }, () => beyond),
        "published",
      )),
    );
    // Listings of every kind round the biggest city, some sharing a spot, so that each filter
    // below leaves some out and some in.
    const template = generateListings(1, 4242).next().value;
    if (!template) throw new Error("no template listing");
    const shared = destination(big, 30, 200);
    const varied: ListingRow[] = Array.from({ length: 300 }, (_, i) => {
      const [lat, lng] = i < 8 ? shared : destination(big, 100 * rng.next(), rng.next() * 360);
      const createdAt = new Date(Date.UTC(2026, 1, 1) + rng.int(0, 40) * 3_600_000);
      return {
        ...template,
        id: uuid(rng),
        hostId: user.id,
        lat,
        lng,
        propertyType: rng.pick(propertyTypes),
        maxGuests: rng.int(1, 10),
        instantBook: rng.chance(0.4),
        nightlyPrice: rng.pick([5_000, 7_500, 10_000, 12_500, 20_000, rng.int(3_000, 30_000)]),
        status: rng.pick(["published", "published", "published", "draft", "unlisted"] as const),
        createdAt,
        updatedAt: createdAt,
      };
    });
    await db.insert(listings).values(varied);
    // Single listings nearer and farther than either group, and one just outside 20 km of the spot.
    await insertRows(
      rng,
      user.id,
      [
        [12.3466, -40.1234],
        [12.3456, -40.1104],
        [12.4, -40.05],
        [12.3456 + 20.5 / 111.2, -40.1234],
      ],
      "published",
    );
  });

  interface Near {
    id: string;
    chord: number;
  }

  /**
   * The published listings within the circle, nearest first and then by id (string order), with
   * their chords: a full scan in SQL computing each chord exactly as the search does, without its
   * indexes or query code. `filter` adds conditions on the listing's columns.
   */
  async function nearestByChord(c: Circle, filter?: SQL): Promise<Near[]> {
    const lat = rad(c.lat);
    const lng = rad(c.lng);
    const centre = [Math.cos(lat) * Math.cos(lng), Math.cos(lat) * Math.sin(lng), Math.sin(lat)];
    const radius = 2 * Math.sin(c.km / (2 * EARTH_RADIUS_KM));
    const rows = await queryRows<{ id: string; chord: number | string }>(
      db,
      sql`select id, chord from (
        select id, cube_distance(
          cube(array[cosd(lat) * cosd(lng), cosd(lat) * sind(lng), sind(lat)]),
          cube(array[${centre[0]}, ${centre[1]}, ${centre[2]}]::float8[])) as chord
        from listings where status = 'published' ${filter ? sql`and ${filter}` : sql``}
      ) scan where chord <= ${radius}::float8 order by chord, id collate "C"`,
    );
    return rows.map((r) => ({ id: r.id, chord: Number(r.chord) }));
  }

  const kmOfChord = (chord: number) => 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, chord / 2));
  const nearQuery = (c: Circle) => `near=${c.lat},${c.lng}&radiusKm=${c.km}`;

  /** Each page's distances: given for every item, rounded to metres from the chord, never decreasing, within the radius. */
  function checkDistances(
    label: string,
    c: Circle,
    got: { ids: string[]; distances: number[] },
    expected: Near[],
  ) {
    expect(got.distances.length, `${label}: every item has distanceKm`).toBe(got.ids.length);
    const wrong: string[] = [];
    got.distances.forEach((km, i) => {
      const exact = expected[i] ? kmOfChord(expected[i].chord) : Number.NaN;
      if (!(Math.abs(km - exact) <= 0.0005 + 1e-9)) wrong.push(`#${i}: distanceKm ${km}, exactly ${exact}`);
      if (i > 0 && km < (got.distances[i - 1] ?? 0))
        wrong.push(`#${i}: distanceKm ${km} after a farther one`);
      if (km > c.km + 1e-3) wrong.push(`#${i}: distanceKm ${km} beyond the radius ${c.km}`);
    });
    expect(wrong.slice(0, 10), label).toEqual([]);
  }

  it.each(circles.map((c) => [c.name, c] as const))(
    "%s: every page in turn, 7 at a time, holds the brute-force rows in (distance, id) order",
    async (_name, c) => {
      const expected = await nearestByChord(c);
      expect(expected.length, "listings in the circle").toBeGreaterThan(0);
      const ids = expected.map((r) => r.id);
      const got = await firstPages(`${nearQuery(c)}&sort=distance`, 7, Math.ceil(ids.length / 7) + 2);
      expect(got.more, `${c.name}: a page after the last`).toBe(false);
      expect(new Set(got.ids).size, `${c.name}: listings given twice`).toBe(got.ids.length);
      expect(got.ids, difference(c.name, got.ids, ids)).toEqual(ids);
      checkDistances(c.name, c, got, expected);
    },
  );

  it("gives the brute-force first rows on the first 3 pages at limits 1, 20 (sort left to default) and 50", async () => {
    for (const c of circles) {
      const expected = await nearestByChord(c);
      const ids = expected.map((r) => r.id);
      for (const [limit, sort] of [
        [1, "&sort=distance"],
        [20, ""],
        [50, "&sort=distance"],
      ] as const) {
        const label = `${c.name}, limit ${limit}${sort}`;
        const got = await firstPages(`${nearQuery(c)}${sort}`, limit, 3);
        const first = ids.slice(0, 3 * limit);
        expect(got.ids, difference(label, got.ids, first)).toEqual(first);
        expect(got.more, `${label}: next page offered`).toBe(ids.length > got.ids.length);
        checkDistances(label, c, got, expected);
      }
    }
  });

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
      const all = await nearestByChord(c);
      for (const [query, filter] of filters) {
        const label = `${c.name}, ${query}`;
        const expected = await nearestByChord(c, filter);
        // Each filter leaves some listings out, and some in.
        expect(expected.length, `${label}: listings left`).toBeGreaterThan(0);
        expect(expected.length, `${label}: listings left`).toBeLessThan(all.length);
        const ids = expected.map((r) => r.id);
        const got = await firstPages(`${nearQuery(c)}&${query}`, 13, Math.ceil(ids.length / 13) + 2);
        expect(got.more, `${label}: a page after the last`).toBe(false);
        expect(got.ids, difference(label, got.ids, ids)).toEqual(ids);
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
      const expected = await nearestByChord(c);
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
          `${nearQuery(c)}&sort=distance`,
          limit,
          Math.ceil(ids.length / limit) + 2,
        );
        expect(got.more, `${label}: a page after the last`).toBe(false);
        expect(got.ids, difference(label, got.ids, ids)).toEqual(ids);
        checkDistances(label, c, got, expected);
      }
    }
  });
});
