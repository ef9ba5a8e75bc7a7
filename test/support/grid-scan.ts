import { type SQL, sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { listings } from "../../src/db/schema/listings.ts";
import { type Circle, chordCircle, inBox, kmOfChord } from "./geo.ts";
import { type Box, type Sort, sorts } from "./grid-places.ts";
import { followPages, type SearchQuery } from "./search-pages.ts";
import type { TestApp } from "./test-app.ts";
import { queryRows } from "./test-database.ts";

/**
 * Brute-force readers for the grid-search tests: every listing as stored, the order each sort
 * promises, and full scans in SQL that compute what a search should find without its indexes or
 * query code. Searches are compared with these.
 */

export interface Stored {
  id: string;
  lat: number;
  lng: number;
  status: string;
  nightlyPrice: number;
  createdAt: Date;
  ratingSum: number;
  ratingCount: number;
}

/** Every listing of the database, as the sorts see it. */
export async function readStored(db: Database): Promise<Stored[]> {
  const rows = await db
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
    .from(listings);
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
}

export const published = (stored: Stored[]) => stored.filter((s) => s.status === "published");

const byId = (a: Stored, b: Stored) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const ratingKey = (s: Stored) => (s.ratingCount === 0 ? -1 : s.ratingSum / s.ratingCount);

/** The order each sort promises: its key, then id, both in the sort's direction. */
export const order: Record<Sort, (a: Stored, b: Stored) => number> = {
  price_asc: (a, b) => a.nightlyPrice - b.nightlyPrice || byId(a, b),
  price_desc: (a, b) => b.nightlyPrice - a.nightlyPrice || byId(b, a),
  newest: (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || byId(b, a),
  rating: (a, b) => ratingKey(b) - ratingKey(a) || byId(b, a),
};

/** Where two id lists part, with each listing's place and price: a readable failure message. */
export function difference(stored: Stored[], label: string, got: string[], expected: string[]): string {
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

/** Up to `pages` pages following nextCursor: the ids in order, their distances, and whether a next page was offered. */
export async function firstPages(t: TestApp, query: SearchQuery, limit: number, pages: number) {
  const { items, more } = await followPages(t, query, limit, pages);
  const distances = items.flatMap((i) => (i.distanceKm === undefined ? [] : [i.distanceKm]));
  return { ids: items.map((i) => i.id), distances, more };
}

export const nearQuery = (c: Circle) => `near=${c.lat},${c.lng}&radiusKm=${c.km}`;

/** The chord from each listing's point to the centre, computed in SQL exactly as the search does. */
const chordSql = (centre: [number, number, number]) => sql`cube_distance(
  cube(array[cosd(lat) * cosd(lng), cosd(lat) * sind(lng), sind(lat)]),
  cube(array[${centre[0]}, ${centre[1]}, ${centre[2]}]::float8[]))`;

/** The published listings within the circle by the search's own chord test, in SQL without cells. */
export async function withinChord(db: Database, c: Circle): Promise<Set<string>> {
  const { centre, chord } = chordCircle(c);
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from listings where status = 'published' and ${chordSql(centre)} <= ${chord}::float8`,
  );
  return new Set(rows.map((r) => r.id));
}

export interface Near {
  id: string;
  chord: number;
}

/**
 * The published listings within the circle, nearest first and then by id (string order), with
 * their chords: a full scan in SQL without the search's indexes or query code. `filter` adds
 * conditions on the listing's columns.
 */
export async function nearestByChord(db: Database, c: Circle, filter?: SQL): Promise<Near[]> {
  const { centre, chord } = chordCircle(c);
  const rows = await queryRows<{ id: string; chord: number | string }>(
    db,
    sql`select id, chord from (
      select id, ${chordSql(centre)} as chord
      from listings where status = 'published' ${filter ? sql`and ${filter}` : sql``}
    ) scan where chord <= ${chord}::float8 order by chord, id collate "C"`,
  );
  return rows.map((r) => ({ id: r.id, chord: Number(r.chord) }));
}

/** Each page's distances: given for every item, rounded to metres from the chord, never decreasing, within the radius. */
export function checkDistances(
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
    if (i > 0 && km < (got.distances[i - 1] ?? 0)) wrong.push(`#${i}: distanceKm ${km} after a farther one`);
    if (km > c.km + 1e-3) wrong.push(`#${i}: distanceKm ${km} beyond the radius ${c.km}`);
  });
  expect(wrong.slice(0, 10), label).toEqual([]);
}

/**
 * A box search's first 3 pages in every sort are the brute-force first rows, and a next page is
 * offered exactly when listings are left.
 */
export async function expectBoxFirstPages(t: TestApp, stored: Stored[], box: Box): Promise<void> {
  const inside = published(stored).filter((s) => inBox(box, s.lat, s.lng));
  expect(inside.length, "listings in the box").toBeGreaterThan(0);
  const bbox = `bbox=${box.swLat},${box.swLng},${box.neLat},${box.neLng}`;
  for (const sort of sorts) {
    const expected = [...inside].sort(order[sort]).map((s) => s.id);
    const got = await firstPages(t, `${bbox}&sort=${sort}`, box.limit, 3);
    const first = expected.slice(0, got.ids.length);
    expect(got.ids, difference(stored, `${box.name}, ${sort}`, got.ids, first)).toEqual(first);
    expect(got.ids.length, `${box.name}, ${sort}`).toBe(Math.min(expected.length, 3 * box.limit));
    expect(got.more, `${box.name}, ${sort}: next page offered`).toBe(expected.length > got.ids.length);
  }
}
