/**
 * Box searches walk map grid cells (src/db/grid.ts). In and around the biggest city of the seeded
 * catalogue, over the whole world, and where maps are awkward (cell boundaries, the poles, both
 * signs of the antimeridian, boxes crossing it) they must find what a brute-force reading of
 * every listing finds, in every sort. Circles are in grid-circles.test.ts.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { cellOf, GRID_LEVELS } from "../../src/db/grid.ts";
import { inBox } from "../support/geo.ts";
import { awkwardBoxes, cityBoxes, edgeProbes, SEEDED, sorts } from "../support/grid-places.ts";
import {
  difference,
  expectBoxFirstPages,
  firstPages,
  order,
  published,
  readStored,
  type Stored,
} from "../support/grid-scan.ts";
import { type GridWorld, seedGridWorld } from "../support/grid-world.ts";
import { searchPage } from "../support/search-pages.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { engine, queryRows } from "../support/test-database.ts";

let t: TestApp;
let db: Database;
let world: GridWorld;
let stored: Stored[] = [];

beforeAll(async () => {
  t = await createTestApp();
  world = await seedGridWorld(t);
  db = world.db;
  stored = await readStored(db);
}, 120_000);
afterAll(() => t.close());

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
  it.each(cityBoxes.map((b) => [b.name, b] as const))(
    "%s: the first pages in every sort are the brute-force first rows",
    async (_name, box) => {
      await expectBoxFirstPages(t, stored, box);
    },
  );

  it("finds every listing of a crowded tiny box whatever the sort, none twice", async () => {
    const box = cityBoxes[0];
    if (!box) throw new Error("no box");
    const inside = published(stored).filter((s) => inBox(box, s.lat, s.lng));
    expect(inside.length).toBeGreaterThan(20);
    for (const sort of sorts) {
      const got = await firstPages(
        t,
        `bbox=${box.swLat},${box.swLng},${box.neLat},${box.neLng}&sort=${sort}`,
        3,
        100,
      );
      expect(got.more).toBe(false);
      expect(new Set(got.ids).size, sort).toBe(got.ids.length);
      const expected = [...inside].sort(order[sort]).map((s) => s.id);
      expect(got.ids, difference(stored, `tiny box, ${sort}`, got.ids, expected)).toEqual(expected);
    }
  });
});

describe(`box searches across the antimeridian or up to a pole agree with a brute-force scan (${engine})`, () => {
  it.each(awkwardBoxes.map((b) => [b.name, b] as const))(
    "%s: the first pages in every sort are the brute-force first rows",
    async (_name, box) => {
      await expectBoxFirstPages(t, stored, box);
    },
  );
});

describe(`box edges and the antimeridian (${engine})`, () => {
  it("returns a listing lying exactly on a box's west or east edge, as the edges were given", async () => {
    const missing: string[] = [];
    for (const [i, [lat, lng]] of edgeProbes.entries()) {
      const id = world.edgeProbeIds[i];
      const near = (x: number) => (x + 0.01).toFixed(2);
      const below = (x: number) => (x - 0.01).toFixed(2);
      // The listing on the box's west edge, then on its east edge.
      for (const bbox of [
        `${below(lat)},${lng},${near(lat)},${near(lng)}`,
        `${below(lat)},${below(lng)},${near(lat)},${lng}`,
      ]) {
        const found = (await searchPage(t, `bbox=${bbox}&limit=50`)).items.map((item) => item.id);
        if (!found.includes(id ?? "")) missing.push(`listing at (${lat}, ${lng}) not found by bbox=${bbox}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("treats the antimeridian alike from either side: boxes ending at 180 and starting at -180 hold the same listings on it", async () => {
    // One listing stored at (-30, 180), one at (-30, -180): the same place.
    const onMeridian = async (bbox: string) =>
      (await searchPage(t, `bbox=${bbox}&limit=50`)).items
        .filter((item) => world.antimeridianIds.includes(item.id))
        .map((item) => `stored at lng ${stored.find((s) => s.id === item.id)?.lng}`)
        .sort();
    const east = await onMeridian("-31,170,-29,180");
    const west = await onMeridian("-31,-180,-29,-170");
    expect(east, "found by bbox=-31,170,-29,180, then by bbox=-31,-180,-29,-170").toEqual(west);
  });

  it("lists each listing once for a box across the antimeridian spanning all but a degree", async () => {
    for (const sort of sorts) {
      const { ids } = await firstPages(t, `bbox=-60,5,60,4&sort=${sort}`, 50, 2);
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      const where = twice.map((id) => stored.find((s) => s.id === id)).map((s) => `(${s?.lat}, ${s?.lng})`);
      expect(where, sort).toEqual([]);
    }
  });
});
