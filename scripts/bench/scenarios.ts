import { MIN_PRICE } from "../../test/support/seed.ts";

/**
 * What the bench measures. Each scenario is a path generator called once per request, so a
 * scenario can repeat one request (cache hits) or make every request distinct (cache misses).
 */

export interface BigCity {
  country: string;
  city: string;
  /** Published listings in the city. */
  listings: number;
  /** Mean position of its listings: the generator jitters them evenly around the centre. */
  lat: number;
  lng: number;
}

export interface Fixtures {
  /** A published listing id for the cache-hit scenario. */
  cachedId: string;
  /** Distinct published ids, requested in sequence for the cache-miss scenario. */
  ids: string[];
  /** The largest cities by published listings, biggest first. */
  cities: BigCity[];
}

export type ScenarioKind = "ceiling" | "health" | "get" | "search";

export interface Scenario {
  name: string;
  kind: ScenarioKind;
  /** Which server: the bare Hono app or the real one. */
  target: "bare" | "app";
  /** Whether the app's short-lived caches can answer these requests. */
  cache: "n/a" | "hit" | "miss" | "mixed";
  note: string;
  nextPath: () => string;
  /** Paths for the pre-run check when they differ from the load's (default: nextPath). */
  probePath?: () => string;
  /** Checks one answer against its request: undefined when right, else what is wrong. */
  verify?: (path: string, body: string) => string | undefined;
}

/** Price bands (minor units) of the city searches; all ≤ 50,000 so the cache-defeating offset fits the API's cap. */
export const PRICE_BANDS: ReadonlyArray<readonly [number, number]> = [
  [3_000, 9_000],
  [6_000, 15_000],
  [9_000, 25_000],
  [15_000, 50_000],
];

/** The in-process cache's default size (src/adapters/memory.ts `memoryCache`). */
const MEMORY_CACHE_ENTRIES = 10_000;
const CACHE_DEFEAT_SPAN = 50_000;

export interface CitySearch {
  city: BigCity;
  band: readonly [number, number];
  query: string;
}

export function citySearches(cities: BigCity[]): CitySearch[] {
  const out: CitySearch[] = [];
  for (const city of cities) {
    for (const band of PRICE_BANDS) {
      out.push({ city, band, query: citySearchQuery(city, band[0], band[1]) });
    }
  }
  return out;
}

export function citySearchQuery(city: BigCity, minPrice: number, maxPrice: number): string {
  const params = new URLSearchParams({
    city: city.city,
    country: city.country,
    guests: "2",
    minPrice: String(minPrice),
    maxPrice: String(maxPrice),
    sort: "price_asc",
    limit: "20",
  });
  return params.toString();
}

/** A counter shared by every connection of a run (autocannon's clients run on one thread). */
function counter(): () => number {
  let n = 0;
  return () => n++;
}

/** A position offset, distinct for each of 1,000,000 calls, within ±~1 km. */
function jitter(i: number): { dLat: number; dLng: number } {
  return { dLat: ((i % 1000) - 500) * 2e-5, dLng: ((Math.floor(i / 1000) % 1000) - 500) * 2e-5 };
}

const fixed = (value: number) => value.toFixed(5);

export function buildScenarios(
  fixtures: Fixtures,
  page3: Array<{ search: CitySearch; cursor: string }>,
): Scenario[] {
  const searches = citySearches(fixtures.cities);
  const scenarios: Scenario[] = [
    {
      name: "ceiling",
      kind: "ceiling",
      target: "bare",
      cache: "n/a",
      note: "bare Hono GET / → {ok:true}",
      nextPath: () => "/",
    },
    {
      name: "health",
      kind: "health",
      target: "app",
      cache: "n/a",
      note: "GET /health: the app's middleware, no database",
      nextPath: () => "/health",
    },
    {
      name: "get.cached",
      kind: "get",
      target: "app",
      cache: "hit",
      note: "one published id, again and again",
      nextPath: () => `/v1/listings/${fixtures.cachedId}`,
      verify: verifyGet,
    },
  ];

  const ids = fixtures.ids;
  const nextId = counter();
  scenarios.push({
    name: "get.uncached",
    kind: "get",
    target: "app",
    cache: ids.length > MEMORY_CACHE_ENTRIES ? "miss" : "mixed",
    note:
      ids.length > MEMORY_CACHE_ENTRIES
        ? `${ids.length} distinct ids in turn (cache holds ${MEMORY_CACHE_ENTRIES}): every request misses`
        : `${ids.length} distinct ids in turn, fewer than the cache holds: hits after the first pass`,
    nextPath: () => `/v1/listings/${ids[nextId() % ids.length]}`,
    verify: verifyGet,
  });

  const nextSearch = counter();
  scenarios.push({
    name: "search.city",
    kind: "search",
    target: "app",
    cache: "mixed",
    note: `${searches.length} queries (cities × price bands) in turn; answers cached 15 s by query`,
    nextPath: () => `/v1/listings?${searches[nextSearch() % searches.length]?.query}`,
    verify: verifySearch,
  });

  const nextUncached = counter();
  scenarios.push({
    name: "search.city.uncached",
    kind: "search",
    target: "app",
    cache: "miss",
    note: "same queries, maxPrice +1 every request: no cache hits",
    nextPath: () => {
      const i = nextUncached();
      const search = searches[i % searches.length];
      if (!search) return "/v1/listings";
      const offset = Math.floor(i / searches.length) % CACHE_DEFEAT_SPAN;
      return `/v1/listings?${citySearchQuery(search.city, search.band[0], search.band[1] + offset)}`;
    },
    verify: verifySearch,
  });

  if (page3.length > 0) {
    const nextPage = counter();
    scenarios.push({
      name: "search.city.p3",
      kind: "search",
      target: "app",
      cache: "mixed",
      note: `page 3 by cursor, ${page3.length} queries in turn; cached 15 s by query`,
      nextPath: () => {
        const p = page3[nextPage() % page3.length];
        return p ? `/v1/listings?${p.search.query}&cursor=${p.cursor}` : "/v1/listings";
      },
      verify: verifySearch,
    });
    const nextPageUncached = counter();
    scenarios.push({
      name: "search.city.p3.uncached",
      kind: "search",
      target: "app",
      cache: "miss",
      note: "page 3 by cursor, maxPrice +1 every request: no cache hits",
      nextPath: () => {
        const i = nextPageUncached();
        const p = page3[i % page3.length];
        if (!p) return "/v1/listings";
        const offset = Math.floor(i / page3.length) % CACHE_DEFEAT_SPAN;
        const query = citySearchQuery(p.search.city, p.search.band[0], p.search.band[1] + offset);
        return `/v1/listings?${query}&cursor=${p.cursor}`;
      },
      verify: verifySearch,
    });
  }

  // Positions move every request, so each request is a new search. The load also varies one
  // top-level parameter that cannot change the answer (radiusKm by < 1 m; minPrice below every
  // price), so it stays uncached even if the cache key ignored the position; the probes do not,
  // and their answers are checked, so such a cache-key bug still shows.
  const nearPath = (i: number, nudge: boolean) => {
    const city = fixtures.cities[i % fixtures.cities.length];
    if (!city) return "/v1/listings";
    const j = Math.floor(i / fixtures.cities.length);
    const { dLat, dLng } = jitter(j);
    const radius = nudge ? (5 + (j % 100_000) * 1e-8).toFixed(8) : "5";
    return `/v1/listings?near=${fixed(city.lat + dLat)},${fixed(city.lng + dLng)}&radiusKm=${radius}&sort=distance&limit=20`;
  };
  const nextNear = counter();
  const nextNearProbe = counter();
  scenarios.push({
    name: "search.near",
    kind: "search",
    target: "app",
    cache: "miss",
    note: `near=centre (moved ≤1 km every request) radiusKm=5(+<1 m) sort=distance, ${fixtures.cities.length} cities`,
    nextPath: () => nearPath(nextNear(), true),
    probePath: () => nearPath(nextNearProbe(), false),
    verify: verifySearch,
  });

  const boxPath = (i: number, nudge: boolean) => {
    const city = fixtures.cities[i % fixtures.cities.length];
    if (!city) return "/v1/listings";
    const j = Math.floor(i / fixtures.cities.length);
    const { dLat, dLng } = jitter(j);
    const halfLat = 5 / 111.32;
    const halfLng = halfLat / Math.cos((city.lat * Math.PI) / 180);
    const lat = city.lat + dLat;
    const lng = city.lng + dLng;
    const bbox = [lat - halfLat, lng - halfLng, lat + halfLat, lng + halfLng].map(fixed).join(",");
    return `/v1/listings?bbox=${bbox}${nudge ? `&minPrice=${j % MIN_PRICE}` : ""}&limit=20`;
  };
  const nextBox = counter();
  const nextBoxProbe = counter();
  scenarios.push({
    name: "search.bbox",
    kind: "search",
    target: "app",
    cache: "miss",
    note: `bbox ≈10×10 km round a centre (moved ≤1 km every request), minPrice<${MIN_PRICE} varied, price_asc`,
    nextPath: () => boxPath(nextBox(), true),
    probePath: () => boxPath(nextBoxProbe(), false),
    verify: verifySearch,
  });
  return scenarios;
}

interface SearchItem {
  id: string;
  city: string;
  country: string;
  location: { lat: number; lng: number };
  maxGuests: number;
  nightlyPrice: number;
  distanceKm?: number;
}

function verifyGet(path: string, body: string): string | undefined {
  const id = path.split("/").pop();
  const parsed = JSON.parse(body) as { id?: string; status?: string };
  if (parsed.id !== id) return `asked for ${id}, got ${parsed.id}`;
  if (parsed.status !== "published") return `listing ${id} is ${parsed.status}`;
  return undefined;
}

function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** The answer matches its own query: filters hold, order holds, and a cursor page starts after the cursor. */
export function verifySearch(path: string, body: string): string | undefined {
  const query = new URLSearchParams(path.slice(path.indexOf("?") + 1));
  const parsed = JSON.parse(body) as { items?: SearchItem[] };
  const items = parsed.items;
  if (!Array.isArray(items)) return "no items array";
  const city = query.get("city");
  const country = query.get("country");
  const guests = Number(query.get("guests") ?? 0);
  const minPrice = Number(query.get("minPrice") ?? 0);
  const maxPrice = Number(query.get("maxPrice") ?? Number.POSITIVE_INFINITY);
  const near = query.get("near")?.split(",").map(Number);
  const radiusKm = Number(query.get("radiusKm") ?? 10);
  const bbox = query.get("bbox")?.split(",").map(Number);
  const cursor = query.get("cursor");
  for (const item of items) {
    const where = `item ${item.id} (${item.city}/${item.country}, ${item.nightlyPrice}, ${item.location.lat},${item.location.lng})`;
    if (city && item.city.toLowerCase() !== city.toLowerCase()) return `${where} is not in ${city}`;
    if (country && item.country !== country) return `${where} is not in ${country}`;
    if (item.maxGuests < guests) return `${where} sleeps ${item.maxGuests} < ${guests}`;
    if (item.nightlyPrice < minPrice || item.nightlyPrice > maxPrice)
      return `${where} outside ${minPrice}–${maxPrice}`;
    if (near && near.length === 2) {
      const distance = haversineKm({ lat: near[0] ?? 0, lng: near[1] ?? 0 }, item.location);
      if (distance > radiusKm + 0.01)
        return `${where} is ${distance.toFixed(2)} km from near=${near.join(",")}`;
    }
    if (bbox && bbox.length === 4) {
      const [s, w, n, e] = bbox as [number, number, number, number];
      const { lat, lng } = item.location;
      if (lat < s || lat > n || lng < w || lng > e) return `${where} is outside bbox=${bbox.join(",")}`;
    }
  }
  const sort = query.get("sort") ?? (near ? "distance" : "price_asc");
  const key = (item: SearchItem) => (sort === "distance" ? (item.distanceKm ?? 0) : item.nightlyPrice);
  for (let i = 1; i < items.length; i++) {
    const a = items[i - 1];
    const b = items[i];
    if (a && b && (sort === "price_asc" || sort === "distance") && key(b) < key(a)) {
      return `items out of ${sort} order at ${i}`;
    }
  }
  const first = items[0];
  if (cursor && first && sort === "price_asc") {
    const position = JSON.parse(Buffer.from(cursor, "base64url").toString()) as { k: number; i: string };
    if (first.nightlyPrice < position.k || (first.nightlyPrice === position.k && first.id <= position.i)) {
      return `page after cursor (${position.k}, ${position.i}) starts at (${first.nightlyPrice}, ${first.id}): an earlier page`;
    }
  }
  return undefined;
}
