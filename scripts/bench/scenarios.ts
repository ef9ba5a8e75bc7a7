import type { SearchSort } from "../../src/domain/listings/search-input.ts";
import { createRng, hashString, type Rng } from "../../test/support/prng.ts";
import type { BookingFixtures } from "./booking-data.ts";
import type { BookingFloorSet } from "./booking-floors.ts";
import { BOOKING_SCENARIOS, type BookingRuntime, bookingScenario } from "./bookings.ts";
import { GRAPHQL_PAGE, graphqlPageScenario } from "./graphql.ts";
import type { LoadResult, Verify } from "./load.ts";
import { type BigCity, type Place, searchPaths, type Variant } from "./queries.ts";
import { verifyGet, verifySearch } from "./verify.ts";

/**
 * What the bench measures. A scenario is a list of distinct requests the app is driven through in
 * turn, and the baseline it is compared with: its floor (the same SQL through `pg` behind a bare
 * Hono route) or, for answers the app serves from its cache, the ceiling (a bare Hono JSON route);
 * a booking storm that only checks what the app answers has none.
 */

export interface Fixtures {
  /** A published listing id for the cached read. */
  cachedId: string;
  /** Distinct published ids for the uncached reads. */
  ids: string[];
  /** The host of each of `ids`, in the same order. */
  hostIds: string[];
  /** The largest cities by published listings, biggest first. */
  cities: BigCity[];
  /** Guests, listings to book and today's date, for the booking scenarios. */
  bookings: BookingFixtures;
}

export interface Scenario {
  name: string;
  note: string;
  /** Which app instance answers: the app as deployed, or one whose cache never hits. */
  app: "cached" | "uncached";
  baseline: "floor" | "ceiling" | "rest" | "none";
  /** The least ratio of the app's req/s to its baseline's (reported, not enforced). */
  target?: number;
  /** Measure page 3: each path's cursor is fetched from the app (pages 1 and 2) before the run. */
  page3?: boolean;
  paths: string[];
  /**
   * The REST side of a GraphQL scenario: `perPage` requests of the same app instance make one
   * page (request i of the app), walked in turn; the ratio compares pages per second.
   */
  rest?: { paths: string[]; perPage: number };
  /** A POST scenario: request i's JSON body (its path is paths[i]). */
  bodies?: string[];
  /** Request i's headers besides the JSON content type (a guest's access token). */
  headers?: (i: number) => Record<string, string>;
  /** A burst: each run sends exactly this many requests and waits for every answer. */
  burst?: { measured: number; warmup: number };
  /** Statuses other than 2xx that are answers, not errors (a storm's conflicts). */
  expected?: number[];
  /** Runs before every run of either side (deletes what an earlier run booked). */
  beforeRun?: () => Promise<void>;
  /** What every run must show beyond its statuses (a storm: exactly one booking): undefined if so. */
  check?: (run: LoadResult) => string | undefined;
  /** A booking scenario's floor: the verb's statements per request (booking-floors.ts). */
  bookingFloor?: BookingFloorSet;
  /** Checks one answer against its request: undefined when right, else what is wrong. */
  verify: Verify;
  /** Compares the app's answer with its floor's (default: the same listings in the same order). */
  sameAsFloor?: (app: string, floor: string) => string | undefined;
}

/** Distinct requests per search scenario (fewer when the shape leaves less to vary). */
const PATHS = 500;
/** Page-3 scenarios fetch pages 1 and 2 of each request before the run. */
const PAGE3_PATHS = 120;
export const SEARCH_TARGET = 0.7;
export const CACHED_GET_TARGET = 0.5;
export const DATES_TARGET = 0.6;

interface Spec {
  name: string;
  note: string;
  app: Scenario["app"];
  baseline: Scenario["baseline"];
  target?: number;
  page3?: boolean;
  paths(fixtures: Fixtures, rng: Rng): string[];
  verify: Scenario["verify"];
}

const PLACES: Record<Place, string> = {
  city: "city+country",
  box: "bbox of 4–12 km round a point ≤3 km from a big city's centre",
  radius: "near=a point ≤3 km from a big city's centre, radiusKm 3/5/8",
};
const PLACE_SORTS: Record<Place, SearchSort[]> = {
  city: ["price_asc", "price_desc", "newest", "rating"],
  box: ["price_asc", "price_desc", "newest", "rating"],
  radius: ["price_asc", "price_desc", "newest", "rating", "distance"],
};

function search(place: Place, name: string, note: string, variant: Variant, page3 = false): Spec {
  return {
    name: `search.${place}.${name}`,
    note: `${PLACES[place]}, ${note}`,
    app: "uncached",
    baseline: "floor",
    target: SEARCH_TARGET,
    page3,
    paths: (f, rng) =>
      searchPaths(place, variant, f.cities, rng, page3 ? PAGE3_PATHS : PATHS, f.bookings.today),
    verify: verifySearch,
  };
}

function searchSpecs(place: Place): Spec[] {
  const specs: Spec[] = [];
  for (const sort of PLACE_SORTS[place]) {
    specs.push(search(place, sort, `sort=${sort}`, { sort }));
    specs.push(
      search(place, `${sort}.price`, `sort=${sort}, minPrice–maxPrice varied`, { sort, price: true }),
    );
  }
  specs.push(search(place, "text", "q=a title word, default sort", { text: true }));
  specs.push(
    search(place, "amenities", "amenities=common, rare or two of them, default sort", { amenities: true }),
  );
  if (place !== "radius") {
    const note = "checkIn 14–28 days ahead, 2–5 nights (seeded stays and blocks), default sort";
    specs.push({ ...search(place, "dates", note, { dates: true }), target: DATES_TARGET });
  }
  if (place === "city") {
    specs.push(
      search(place, "price_asc.p3", "sort=price_asc, page 3 by cursor", { sort: "price_asc" }, true),
    );
  }
  if (place === "radius") {
    specs.push(search(place, "distance.p3", "sort=distance, page 3 by cursor", { sort: "distance" }, true));
  }
  return specs;
}

const SPECS: Spec[] = [
  {
    name: "health",
    note: "GET /health: the app's middleware, no database",
    app: "cached",
    baseline: "ceiling",
    paths: () => ["/health"],
    verify: (_path, body) => (JSON.parse(body).status === "ok" ? undefined : `not ok: ${body}`),
  },
  {
    name: "get.cached",
    note: "listings.get of one published listing, again and again: a cache hit",
    app: "cached",
    baseline: "ceiling",
    target: CACHED_GET_TARGET,
    paths: (f) => [`/v1/listings/${f.cachedId}`],
    verify: verifyGet,
  },
  {
    name: "search.cached",
    note: "city+country, price range, one query per big city in turn: cache hits (15 s)",
    app: "cached",
    baseline: "ceiling",
    paths: (f, rng) =>
      searchPaths("city", { sort: "price_asc", price: true }, f.cities, rng, f.cities.length),
    verify: verifySearch,
  },
  {
    name: "get.uncached",
    note: "listings.get of distinct published listings in turn",
    app: "uncached",
    baseline: "floor",
    paths: (f) => f.ids.map((id) => `/v1/listings/${id}`),
    verify: verifyGet,
  },
  ...searchSpecs("city"),
  ...searchSpecs("box"),
  ...searchSpecs("radius"),
];

export const SCENARIO_NAMES: readonly string[] = [
  ...SPECS.map((spec) => spec.name),
  GRAPHQL_PAGE,
  ...BOOKING_SCENARIOS,
];

/**
 * The scenarios `wanted` selects, with their requests drawn from `seed`. The booking scenarios
 * need the running servers (`runtime`: tokens, clean-up) and are left out without them.
 */
export function buildScenarios(
  fixtures: Fixtures,
  seed: number,
  wanted: (name: string) => boolean,
  runtime?: BookingRuntime,
): Scenario[] {
  const rngOf = (name: string) => createRng(hashString(`bench:${name}:${seed}`));
  const scenarios: Scenario[] = SPECS.filter((spec) => wanted(spec.name)).map(({ paths, ...spec }) => ({
    ...spec,
    paths: paths(fixtures, rngOf(spec.name)),
  }));
  if (wanted(GRAPHQL_PAGE)) scenarios.push(graphqlPageScenario(fixtures));
  for (const name of BOOKING_SCENARIOS) {
    if (runtime && wanted(name))
      scenarios.push(bookingScenario(name, fixtures.bookings, rngOf(name), runtime));
  }
  return scenarios;
}
