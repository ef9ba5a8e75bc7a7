import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCities, seedListings } from "../../scripts/bench/seed.ts";
import type { Database } from "../../src/db/database.ts";
import { type SearchInput, type SearchSort, searchQuery } from "../../src/domain/listings/search-listings.ts";
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

async function plan(input: Partial<SearchInput>, sort: SearchSort) {
  const query = searchQuery(db, { limit: 20, ...input }, sort);
  const [row] = await queryRows<{ "QUERY PLAN": Array<{ Plan: PlanNode }> | string }>(
    db,
    sql`explain (format json) ${query}`,
  );
  const raw = row?.["QUERY PLAN"];
  const parsed = typeof raw === "string" ? (JSON.parse(raw) as Array<{ Plan: PlanNode }>) : raw;
  const root = parsed?.[0]?.Plan;
  if (!root) throw new Error("no plan");
  return nodes(root);
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
      { ...city, guests: 2, minPrice: 5_000, maxPrice: 20_000, after: { key: 9_000, id: "0" } },
      "price_asc",
    ],
    ["city, dearest first", city, "price_desc"],
    ["city, newest first", city, "newest"],
    ["city, best rated", city, "rating"],
    ["a small city", { city: small.name, country: small.country }, "price_asc"],
    ["near a point, nearest first", { near: { lat: big.lat, lng: big.lng }, radiusKm: 5 }, "distance"],
    ["near a point, cheapest first", { near: { lat: big.lat, lng: big.lng }, radiusKm: 5 }, "price_asc"],
    [
      "bounding box",
      {
        bbox: { swLat: big.lat - 0.05, swLng: big.lng - 0.07, neLat: big.lat + 0.05, neLng: big.lng + 0.07 },
      },
      "price_asc",
    ],
    ["free text", { q: big.name.slice(0, 5) }, "price_asc"],
    ["amenities (all of)", { amenities: ["pool", "hot_tub"] }, "price_asc"],
    ["price range only", { minPrice: 50_000, maxPrice: 60_000 }, "price_asc"],
    ["everything, newest first", {}, "newest"],
    ["guests and type only, cheapest first", { guests: 6, propertyType: "entire_home" }, "price_asc"],
  ];

  it.each(shapes)("%s uses an index, never a sequential scan of listings", async (_name, input, sort) => {
    const found = await plan(input, sort);
    const seqScans = found.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "listings");
    const indexes = found.map((n) => n["Index Name"]).filter(Boolean);
    expect(seqScans, JSON.stringify(found.map((n) => [n["Node Type"], n["Index Name"]]))).toEqual([]);
    expect(indexes.length).toBeGreaterThan(0);
  });
});
