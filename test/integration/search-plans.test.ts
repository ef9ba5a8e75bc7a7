/**
 * Every combination of place, order and filters a client can send is served by indexes and reads
 * about a page of rows, in the plan PostgreSQL actually runs after many executions of it. On real
 * PostgreSQL that plan is captured by auto_explain as the app's own statements run; the app
 * prepares no named statement, so every execution is planned for its own values (checked too).
 * PGlite plans each execution the same way, and EXPLAIN ANALYZE shows it.
 */
import type { PGlite } from "@electric-sql/pglite";
import { fillPlaceholders, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { postgresDatabase } from "../../src/db/node-postgres.ts";
import { addDays } from "../../src/domain/bookings/local-time.ts";
import { resolveSearch, type SearchInput, type SearchSort } from "../../src/domain/listings/search-input.ts";
import { runSearch, searchQuery } from "../../src/domain/listings/search-query.ts";
import { generateCities, seedListings } from "../support/seed.ts";
import { seedStays } from "../support/seed-stays.ts";
import { createTestDatabase, engine, queryRows, type TestDatabase } from "../support/test-database.ts";

// Large enough, and skewed like production (a few cities hold most listings), for the planner
// to choose as it would on a real data set.
const LISTINGS = engine === "postgres" ? 30_000 : 12_000;
/** A page costs reading about a page of rows; a wrong plan reads a whole city or a whole place. */
const MAX_ROWS_READ = LISTINGS * 0.05;
const EXECUTIONS = 8;
const SAMPLE_ID = "019ad6f4-6a3c-7c41-9a55-0f7e5b1c2d3e";
/** The searches' clock: the seeded calendars are filled around its date. */
const NOW = new Date("2026-12-07T12:00:00Z");
const TODAY = NOW.toISOString().slice(0, 10);
const stayFrom = (days: number, nights: number) => ({
  checkIn: addDays(TODAY, days),
  checkOut: addDays(TODAY, days + nights),
});
/** A few nights two weeks out (about half the listings are free), a week, and four weeks. */
const STAY = stayFrom(14, 3);
const WEEK = stayFrom(30, 7);
const FOUR_WEEKS = stayFrom(7, 28);

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

let database: TestDatabase;
let db: Database;
let pool: pg.Pool | undefined;
/** The plans auto_explain reported on the pool's one connection, newest last. */
const reported: PlanNode[] = [];

const cities = generateCities();
const big = cities[0];
const small = cities[150];
if (!big || !small) throw new Error("no cities generated");

beforeAll(async () => {
  database = await createTestDatabase();
  await seedListings(database.database.connect().db, { count: LISTINGS });
  await seedStays(database.database.connect().db, { count: LISTINGS, today: TODAY });
  if (engine === "pglite" || !database.url) {
    db = database.database.connect().db;
    return;
  }
  // One connection that reports the plan of every statement it runs (auto_explain, as notices).
  pool = new pg.Pool({ connectionString: database.url, max: 1 });
  pool.on("connect", (client) => {
    client.on("notice", (notice) => {
      const text = notice.message ?? "";
      const json = text.slice(text.indexOf("{"));
      if (json.startsWith("{")) reported.push((JSON.parse(json) as { Plan: PlanNode }).Plan);
    });
  });
  const client = await pool.connect();
  await client.query(`load 'auto_explain'`);
  for (const [name, value] of Object.entries({
    log_min_duration: "0",
    log_analyze: "on",
    log_format: "json",
    log_level: "notice",
  })) {
    await client.query(`set auto_explain.${name} = '${value}'`);
  }
  client.release();
  db = postgresDatabase(pool);
}, 180_000);
afterAll(async () => {
  await pool?.end();
  await database.close();
});

/** The plan of the last of many executions of this search, as the app runs it. */
async function planOf(input: Partial<SearchInput>, sort: SearchSort): Promise<PlanNode[]> {
  const search = resolveSearch({ limit: 20, ...input, sort }, NOW);
  if (!pool) {
    const { query, bindings } = searchQuery(db, search);
    const statement = query.toSQL();
    const client = (db as unknown as { $client: PGlite }).$client;
    type Row = { "QUERY PLAN": Array<{ Plan: PlanNode }> | string };
    const { rows } = await client.query<Row>(
      `explain (analyze, format json) ${statement.sql}`,
      fillPlaceholders(statement.params, bindings.values),
    );
    const raw = rows[0]?.["QUERY PLAN"];
    const plan = (typeof raw === "string" ? (JSON.parse(raw) as Array<{ Plan: PlanNode }>) : raw)?.[0]?.Plan;
    if (!plan) throw new Error("no plan");
    return nodes(plan);
  }
  for (let i = 0; i < EXECUTIONS; i++) await runSearch(db, search);
  const plan = reported.at(-1);
  if (!plan) throw new Error("auto_explain reported no plan");
  return nodes(plan);
}

function describePlan(found: PlanNode[]): string {
  return JSON.stringify(
    found.map((n) => [
      n["Node Type"],
      n["Index Name"] ?? n["Relation Name"],
      n["Actual Rows"],
      n["Actual Loops"],
    ]),
  );
}

/**
 * Rows of `table` the plan read from the table (not from an index alone): those it returned, and
 * those it read and threw away.
 */
function rowsRead(found: PlanNode[], table = "listings"): number {
  return found
    .filter((n) => n["Relation Name"] === table && n["Node Type"] !== "Index Only Scan")
    .reduce(
      (sum, n) =>
        sum +
        ((n["Actual Rows"] ?? 0) +
          (n["Rows Removed by Filter"] ?? 0) +
          (n["Rows Removed by Index Recheck"] ?? 0)) *
          (n["Actual Loops"] ?? 1),
      0,
    );
}

const tables = ["listings", "bookings", "calendar_days"];

function expectFast(found: PlanNode[]): string[] {
  const seqScans = found.filter(
    (n) => n["Node Type"] === "Seq Scan" && tables.includes(n["Relation Name"] ?? ""),
  );
  expect(seqScans, describePlan(found)).toEqual([]);
  for (const table of tables) {
    expect(rowsRead(found, table), `${table}: ${describePlan(found)}`).toBeLessThanOrEqual(MAX_ROWS_READ);
  }
  return found.map((n) => n["Index Name"]).filter((name): name is string => name !== undefined);
}

const box = (centre: { lat: number; lng: number }, km: number) => {
  const dLat = km / 2 / 111.32;
  const dLng = dLat / Math.cos((centre.lat * Math.PI) / 180);
  return {
    swLat: centre.lat - dLat,
    swLng: centre.lng - dLng,
    neLat: centre.lat + dLat,
    neLng: centre.lng + dLng,
  };
};
const centre = { lat: big.lat, lng: big.lng };

const places: Array<[string, Partial<SearchInput>]> = [
  ["the biggest city", { city: big.name, country: big.country }],
  ["a small city", { city: small.name, country: small.country }],
  ["a country", { country: big.country }],
  ["anywhere", {}],
  ["a 10 km box in the biggest city", { bbox: box(centre, 10) }],
  ["a 1 km box in a small city", { bbox: box(small, 1) }],
  ["the whole map", { bbox: { swLat: -90, swLng: -180, neLat: 90, neLng: 180 } }],
  ["a box over the ocean", { bbox: { swLat: -40, swLng: -30, neLat: -39, neLng: -29 } }],
  ["a 5 km radius in the biggest city", { near: centre, radiusKm: 5 }],
  ["a 100 km radius", { near: centre, radiusKm: 100 }],
];
const sorts = ["price_asc", "price_desc", "newest", "rating"] as const;
const priceRanges: Array<[string, Partial<SearchInput>]> = [
  ["", {}],
  [" within a price range", { minPrice: 8_000, maxPrice: 15_000 }],
];

const combinations: Array<[string, Partial<SearchInput>, SearchSort]> = [
  ...places.flatMap(([where, place]) =>
    sorts.flatMap((sort) =>
      priceRanges.map(([range, price]): [string, Partial<SearchInput>, SearchSort] => [
        `${where}, ${sort}${range}`,
        { ...place, ...price },
        sort,
      ]),
    ),
  ),
  ...priceRanges.map(([range, price]): [string, Partial<SearchInput>, SearchSort] => [
    `nearest first${range}`,
    { near: centre, radiusKm: 5, ...price },
    "distance",
  ]),
  [
    "nearest first, guests + price, second page by cursor",
    {
      near: centre,
      radiusKm: 5,
      guests: 2,
      ...priceRanges[1]?.[1],
      after: { sort: "distance", key: 0.0002, id: SAMPLE_ID },
    },
    "distance",
  ],
  [
    "the biggest city, cheapest first, third page by cursor",
    {
      city: big.name,
      country: big.country,
      guests: 2,
      after: { sort: "price_asc", key: 9_000, id: SAMPLE_ID },
    },
    "price_asc",
  ],
  ...sorts.map((sort): [string, Partial<SearchInput>, SearchSort] => [
    `free text matching a big city, ${sort}`,
    { q: big.name.slice(0, 5) },
    sort,
  ]),
  ["free text matching nothing", { q: "zzqx" }, "price_asc"],
  ["free text, nearest first", { q: big.name.slice(0, 5), near: centre, radiusKm: 5 }, "distance"],
  ...sorts.map((sort): [string, Partial<SearchInput>, SearchSort] => [
    `rare amenities, ${sort}`,
    { amenities: ["pool", "hot_tub"] },
    sort,
  ]),
  [
    "common amenities in the biggest city, newest",
    { amenities: ["wifi", "kitchen"], city: big.name, country: big.country },
    "newest",
  ],
  ["guests and property type, cheapest first", { guests: 6, propertyType: "entire_home" }, "price_asc"],
];

/** The same searches for a stay: every listing found must be free and take it. */
const datedCombinations: Array<[string, Partial<SearchInput>, SearchSort]> = [
  ...places.flatMap(([where, place]) =>
    sorts.map((sort): [string, Partial<SearchInput>, SearchSort] => [
      `${where}, ${sort}, 3 nights`,
      { ...place, ...STAY },
      sort,
    ]),
  ),
  ...places.flatMap(([where, place]) =>
    (["price_asc", "newest"] as const).map((sort): [string, Partial<SearchInput>, SearchSort] => [
      `${where}, ${sort}, a week within a price range`,
      { ...place, ...WEEK, ...priceRanges[1]?.[1] },
      sort,
    ]),
  ),
  ["nearest first, 3 nights", { near: centre, radiusKm: 5, ...STAY }, "distance"],
  ["nearest first, four weeks", { near: centre, radiusKm: 5, ...FOUR_WEEKS }, "distance"],
  [
    "nearest first, a week for 2 guests, second page by cursor",
    {
      near: centre,
      radiusKm: 5,
      guests: 2,
      ...WEEK,
      after: { sort: "distance", key: 0.0002, id: SAMPLE_ID },
    },
    "distance",
  ],
  [
    "the biggest city, four weeks, cheapest first, third page by cursor",
    {
      city: big.name,
      country: big.country,
      ...FOUR_WEEKS,
      after: { sort: "price_asc", key: 9_000, id: SAMPLE_ID },
    },
    "price_asc",
  ],
  ...sorts.map((sort): [string, Partial<SearchInput>, SearchSort] => [
    `a 10 km box in the biggest city, four weeks, ${sort}`,
    { bbox: box(centre, 10), ...FOUR_WEEKS },
    sort,
  ]),
  ["free text matching a big city, 3 nights", { q: big.name.slice(0, 5), ...STAY }, "price_asc"],
  ["rare amenities, 3 nights", { amenities: ["pool", "hot_tub"], ...STAY }, "rating"],
];

describe(`search plans on ${LISTINGS} seeded listings (${engine})`, () => {
  it("covers every place with every order, with and without a price range", () => {
    expect(combinations.length).toBeGreaterThanOrEqual(places.length * sorts.length * 2 + 10);
  });

  it.each(combinations)("%s reads about a page through indexes", async (_name, input, sort) => {
    expectFast(await planOf(input, sort));
  });

  it("covers every place with every order for a stay", () => {
    expect(datedCombinations.length).toBeGreaterThanOrEqual(places.length * sorts.length + 10);
  });

  it.each(datedCombinations)(
    "%s reads about a page, probing each candidate's bookings and blocked dates by index",
    async (_name, input, sort) => {
      const found = await planOf(input, sort);
      const used = expectFast(found);
      expect(used, describePlan(found)).toContain("bookings_no_overlap");
      expect(used, describePlan(found)).toContain("calendar_days_listing_id_day_pk");
    },
  );

  const gridLevels: Array<[string, string, Partial<SearchInput>]> = [
    ["a 1 km box", "listings_cell_0 indexes", { bbox: box(centre, 1) }],
    ["a 10 km box", "listings_cell_1 indexes", { bbox: box(centre, 10) }],
    ["a 100 km box", "listings_cell_2 indexes", { bbox: box(centre, 100) }],
    [
      "the whole map",
      "listings_cell_3 indexes",
      { bbox: { swLat: -90, swLng: -180, neLat: 90, neLng: 180 } },
    ],
    ["a 5 km radius", "listings_cell_1 indexes", { near: centre, radiusKm: 5 }],
  ];
  it.each(gridLevels)("%s is searched through %s, cell by cell", async (_name, index, input) => {
    for (const sort of sorts) {
      const used = expectFast(await planOf(input, sort));
      expect(
        used.some((name) => name.startsWith(`${index.split(" ")[0]}_`)),
        `${sort}: ${used}`,
      ).toBe(true);
    }
  });

  it("finds both the first candidates and the page of a nearest-first search through the position index", async () => {
    const found = await planOf({ near: centre, radiusKm: 5, guests: 2, maxPrice: 30_000 }, "distance");
    const uses = expectFast(found).filter((name) => name === "listings_position_idx");
    expect(uses, describePlan(found)).toHaveLength(2);
  });

  it.skipIf(engine !== "postgres")(
    "runs no named prepared statement, so no plan outlives its values",
    async () => {
      await planOf({ city: big.name, country: big.country, minPrice: 8_000, maxPrice: 15_000 }, "newest");
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from pg_prepared_statements`,
      );
      expect(row?.n).toBe(0);
      expect(reported.length).toBeGreaterThan(EXECUTIONS);
    },
  );
});
