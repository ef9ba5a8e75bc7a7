import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { resolveSearch, type SearchInput, type SearchSort } from "../../src/domain/listings/search-input.ts";
import { searchQuery } from "../../src/domain/listings/search-query.ts";
import { generateCities, seedListings } from "../support/seed.ts";
import { createTestDatabase, engine, queryRows, type TestDatabase } from "../support/test-database.ts";

// Large enough, and skewed like production (a few cities hold most listings), for the planner
// to choose as it would on a real data set.
const LISTINGS = engine === "postgres" ? 30_000 : 12_000;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

let database: TestDatabase;
let db: Database;
const big = generateCities()[0];
const small = generateCities()[120];

type ExplainRow = { "QUERY PLAN": Array<{ Plan: PlanNode }> | string };

function planNodes(row: ExplainRow | undefined): PlanNode[] {
  const raw = row?.["QUERY PLAN"];
  const parsed = typeof raw === "string" ? (JSON.parse(raw) as Array<{ Plan: PlanNode }>) : raw;
  const root = parsed?.[0]?.Plan;
  if (!root) throw new Error("no plan");
  return nodes(root);
}

/** The plan for these very values. */
async function plan(input: Partial<SearchInput>, sort: SearchSort) {
  const query = searchQuery(db, resolveSearch({ limit: 20, ...input, sort }));
  return planNodes((await queryRows<ExplainRow>(db, sql`explain (format json) ${query}`))[0]);
}

/**
 * The plan PostgreSQL settles on for a prepared statement of this search after many executions
 * (from the sixth, it may switch to a generic plan that ignores the values).
 */
async function genericPlan(input: Partial<SearchInput>, sort: SearchSort) {
  const query = searchQuery(db, resolveSearch({ limit: 20, ...input, sort }));
  return planNodes((await queryRows<ExplainRow>(db, sql`explain (format json) ${query}`))[0]);
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.database.connect().db;
  await seedListings(db, { count: LISTINGS });
}, 180_000);
afterAll(() => database.close());

describe(`search query plans on ${LISTINGS} seeded listings (${engine})`, () => {
  if (!big || !small) throw new Error("no cities generated");
  const city = { city: big.name, country: big.country };
  const shapes: Array<[string, Partial<SearchInput>, SearchSort]> = [
    [
      "city + guests + price, cheapest first",
      { ...city, guests: 2, minPrice: 5_000, maxPrice: 20_000 },
      "price_asc",
    ],
    [
      "city + guests + price, third page by cursor",
      {
        ...city,
        guests: 2,
        minPrice: 5_000,
        maxPrice: 20_000,
        after: { sort: "price_asc", key: 9_000, id: "0" },
      },
      "price_asc",
    ],
    ["city, dearest first", city, "price_desc"],
    ["city, newest first", city, "newest"],
    ["city, best rated", city, "rating"],
    ["a small city", { city: small.name, country: small.country }, "price_asc"],
    ["near a point, nearest first", { near: { lat: big.lat, lng: big.lng }, radiusKm: 5 }, "distance"],
    [
      "near a point, nearest first, guests + price, second page by cursor",
      {
        near: { lat: big.lat, lng: big.lng },
        radiusKm: 5,
        guests: 2,
        minPrice: 5_000,
        maxPrice: 20_000,
        after: { sort: "distance", key: 0.0002, id: "0" },
      },
      "distance",
    ],
    ["near a point, cheapest first", { near: { lat: big.lat, lng: big.lng }, radiusKm: 5 }, "price_asc"],
    [
      "bounding box",
      {
        bbox: { swLat: big.lat - 0.05, swLng: big.lng - 0.07, neLat: big.lat + 0.05, neLng: big.lng + 0.07 },
      },
      "price_asc",
    ],
    ["free text", { q: big.name.slice(0, 5) }, "price_asc"],
    [
      "free text near a point, nearest first",
      { q: big.name.slice(0, 5), near: { lat: big.lat, lng: big.lng }, radiusKm: 5 },
      "distance",
    ],
    ["amenities (all of)", { amenities: ["pool", "hot_tub"] }, "price_asc"],
    ["price range only", { minPrice: 50_000, maxPrice: 60_000 }, "price_asc"],
    ["everything, newest first", {}, "newest"],
    ["guests and type only, cheapest first", { guests: 6, propertyType: "entire_home" }, "price_asc"],
  ];

  const usesIndexes = (found: PlanNode[]) => {
    const seqScans = found.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "listings");
    const indexes = found.map((n) => n["Index Name"]).filter(Boolean);
    expect(seqScans, JSON.stringify(found.map((n) => [n["Node Type"], n["Index Name"]]))).toEqual([]);
    expect(indexes.length).toBeGreaterThan(0);
    return indexes;
  };

  it.each(shapes)("%s uses an index, never a sequential scan of listings", async (_name, input, sort) => {
    usesIndexes(await plan(input, sort));
  });

  // Text and amenity searches are never prepared (their values are written into the SQL).
  const prepared = shapes.filter(([, input]) => !input.q && !input.amenities);
  it.each(prepared)(
    "%s keeps to indexes in the generic plan its prepared statement reuses",
    async (_name, input, sort) => {
      usesIndexes(await genericPlan(input, sort));
    },
  );

  const box = (km: number) => {
    const dLat = km / 2 / 111.32;
    const dLng = dLat / Math.cos((big.lat * Math.PI) / 180);
    return { swLat: big.lat - dLat, swLng: big.lng - dLng, neLat: big.lat + dLat, neLng: big.lng + dLng };
  };
  const places: Array<[string, string, Partial<SearchInput>, SearchSort]> = [
    ["a 1 km box", "listings_cell_0_idx", { bbox: box(1) }, "price_asc"],
    ["a 10 km box", "listings_cell_1_idx", { bbox: box(10) }, "price_asc"],
    ["a 100 km box, dearest first", "listings_cell_2_idx", { bbox: box(100) }, "price_desc"],
    [
      "the whole map, newest first",
      "listings_cell_3_idx",
      { bbox: { swLat: -90, swLng: -180, neLat: 90, neLng: 180 } },
      "newest",
    ],
    [
      "a 5 km radius, cheapest first",
      "listings_cell_1_idx",
      { near: { lat: big.lat, lng: big.lng }, radiusKm: 5 },
      "price_asc",
    ],
    [
      "a 5 km radius, nearest first",
      "listings_position_idx",
      { near: { lat: big.lat, lng: big.lng }, radiusKm: 5 },
      "distance",
    ],
  ];
  it.each(places)("%s is searched through %s whatever the values", async (_name, index, input, sort) => {
    expect(usesIndexes(await genericPlan(input, sort))).toContain(index);
    expect(usesIndexes(await plan(input, sort))).toContain(index);
  });

  it("finds both the first candidates and the page of a nearest-first search through the position index", async () => {
    const input = { near: { lat: big.lat, lng: big.lng }, radiusKm: 5, guests: 2, maxPrice: 30_000 };
    for (const found of [await genericPlan(input, "distance"), await plan(input, "distance")]) {
      const uses = usesIndexes(found).filter((name) => name === "listings_position_idx");
      expect(uses, JSON.stringify(found.map((n) => [n["Node Type"], n["Index Name"]]))).toHaveLength(2);
    }
  });
});
