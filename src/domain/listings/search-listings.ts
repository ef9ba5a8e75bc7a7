import { type AnyColumn, and, asc, desc, eq, gte, lte, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { type Box, gridCover } from "../../db/grid.ts";
import { type Amenity, listings, type Photo, type propertyTypes } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { ratingOf } from "./listing-view.ts";

export const searchSorts = ["price_asc", "price_desc", "newest", "distance", "rating"] as const;
export type SearchSort = (typeof searchSorts)[number];

export interface SearchInput {
  q?: string | undefined;
  city?: string | undefined;
  country?: string | undefined;
  bbox?: { swLat: number; swLng: number; neLat: number; neLng: number } | undefined;
  near?: { lat: number; lng: number } | undefined;
  radiusKm?: number | undefined;
  guests?: number | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  currency?: string | undefined;
  propertyType?: (typeof propertyTypes)[number] | undefined;
  amenities?: Amenity[] | undefined;
  instantBook?: boolean | undefined;
  sort?: SearchSort | undefined;
  limit: number;
  /** Keyset position after the last item of the previous page: its sort key and id. */
  after?: { key: number | string; id: string } | undefined;
}

export const DEFAULT_RADIUS_KM = 10;
const EARTH_RADIUS_KM = 6371;
const SEARCH_CACHE_TTL_SECONDS = 15;

/**
 * A listing's position as a point on the unit sphere, exactly as `listings_earth_idx` indexes it
 * (migration 0004). The straight-line (chord) distance between two such points grows with the
 * great-circle distance, so ordering by it with `<->` is nearest-first and uses the index.
 */
const earth = sql`cube(array[cosd(${listings.lat}) * cosd(${listings.lng}), cosd(${listings.lat}) * sind(${listings.lng}), sind(${listings.lat})])`;

function sphere(near: { lat: number; lng: number }, b: <T>(name: string, value: T) => T): SQL {
  const lat = (near.lat * Math.PI) / 180;
  const lng = (near.lng * Math.PI) / 180;
  return sql`cube(array[${b("cx", Math.cos(lat) * Math.cos(lng))}, ${b("cy", Math.cos(lat) * Math.sin(lng))}, ${b("cz", Math.sin(lat))}]::float8[])`;
}

/** Chord on the unit sphere ↔ great-circle kilometres. */
const chordOf = (km: number) => 2 * Math.sin(km / (2 * EARTH_RADIUS_KM));
const kmOf = (chord: number) => 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, chord / 2));

/** A box as one or two boxes that do not cross the antimeridian. */
function boxes(b: Box): Box[] {
  const wrap = (lng: number) => ((((lng + 180) % 360) + 360) % 360) - 180;
  if (b.neLng - b.swLng >= 360) return [{ ...b, swLng: -180, neLng: 180 }];
  const sw = wrap(b.swLng);
  const ne = wrap(b.neLng);
  if (sw <= ne) return [{ ...b, swLng: sw, neLng: ne }];
  return [
    { ...b, swLng: sw, neLng: 180 },
    { ...b, swLng: -180, neLng: ne },
  ];
}

/** The box round a circle of `km` about `near` on the sphere (the whole band when it holds a pole). */
function boxAround(near: { lat: number; lng: number }, km: number): Box[] {
  const angle = km / EARTH_RADIUS_KM;
  // A hair wider than exact, so float rounding never leaves out a point on the circle.
  const dLat = (angle * 180) / Math.PI + 1e-9;
  const swLat = Math.max(-90, near.lat - dLat);
  const neLat = Math.min(90, near.lat + dLat);
  const cosLat = Math.cos((near.lat * Math.PI) / 180);
  if (swLat <= -90 || neLat >= 90 || Math.sin(angle) >= cosLat) {
    return [{ swLat, swLng: -180, neLat, neLng: 180 }];
  }
  const dLng = (Math.asin(Math.sin(angle) / cosLat) * 180) / Math.PI + 1e-9;
  return boxes({ swLat, swLng: near.lng - dLng, neLat, neLng: near.lng + dLng });
}

/**
 * Where a search is bounded by a place drawn on the map (a box, or a radius not sorted by
 * distance): its boxes, and the grid cells covering them.
 */
function placeOf(input: SearchInput, sort: SearchSort) {
  const list = input.bbox
    ? boxes(input.bbox)
    : input.near && sort !== "distance"
      ? boxAround(input.near, input.radiusKm ?? DEFAULT_RADIUS_KM)
      : undefined;
  return list ? { boxes: list, ...gridCover(list) } : undefined;
}

/** Latitude and longitude ranges (two longitude ranges across the antimeridian). */
function inBoxes(list: Box[], b: <T>(name: string, value: T) => T): SQL {
  const parts = list.map(
    (x, i) =>
      sql`(${listings.lat} between ${b(`s${i}`, x.swLat)} and ${b(`n${i}`, x.neLat)} and ${listings.lng} between ${b(`w${i}`, x.swLng)} and ${b(`e${i}`, x.neLng)})`,
  );
  return parts.length === 1 ? (parts[0] as SQL) : sql`(${sql.join(parts, sql` or `)})`;
}

const ratingKey = sql<number>`(case when ${listings.ratingCount} = 0 then -1 else ${listings.ratingSum}::float8 / ${listings.ratingCount} end)`;

/** Escapes LIKE wildcards so the text is matched literally. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface SearchItem {
  id: string;
  title: string;
  propertyType: (typeof propertyTypes)[number];
  city: string;
  country: string;
  location: { lat: number; lng: number };
  maxGuests: number;
  bedrooms: number;
  beds: number;
  bathrooms: number;
  nightlyPrice: number;
  currency: string;
  instantBook: boolean;
  rating: { average: number | null; count: number };
  photo: Photo | null;
  distanceKm?: number;
}

/** What a search reads of each listing (see `shown` in searchQuery). */
interface ShownListing {
  id: string;
  title: string;
  propertyType: (typeof propertyTypes)[number];
  city: string;
  country: string;
  lat: number;
  lng: number;
  maxGuests: number;
  bedrooms: number;
  beds: number;
  bathrooms: number;
  nightlyPrice: number;
  currency: string;
  instantBook: boolean;
  ratingSum: number;
  ratingCount: number;
  photo: Photo | null;
}

export interface SearchResult {
  items: SearchItem[];
  next?: { key: number | string; id: string; sort: SearchSort };
}

export function searchCacheKey(input: SearchInput): string {
  const normalised: Record<string, unknown> = {
    ...input,
    q: input.q?.toLowerCase(),
    city: input.city?.toLowerCase(),
    amenities: input.amenities ? [...input.amenities].sort() : undefined,
  };
  // Top-level keys sorted; nested objects (bbox, near, after) are built in a fixed key order.
  const entries = Object.keys(normalised)
    .sort()
    .filter((key) => normalised[key] !== undefined)
    .map((key) => [key, normalised[key]]);
  return `search:v1:${JSON.stringify(entries)}`;
}

/**
 * Published listings matching every filter given, in a stable order with a keyset cursor (the
 * sort key plus id, as prices and dates tie). Each place filter is served by an index.
 */
export async function searchListings({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: SearchInput;
}): Promise<SearchResult> {
  const sort: SearchSort = input.sort ?? (input.near ? "distance" : "price_asc");
  if (sort === "distance" && !input.near) {
    throw new AppError("VALIDATION_FAILED", "Sorting by distance needs `near`.", {
      errors: [{ location: "query.sort", message: "distance requires near=lat,lng" }],
    });
  }
  const cacheKey = searchCacheKey({ ...input, sort });
  const cached = await ctx.deps.cache.get<SearchResult>(cacheKey);
  if (cached) return cached;

  let rows = await runSearch(ctx.db, input, sort);
  if (sort === "distance") {
    // The scan is nearest-first, so the first row beyond the radius ends the results.
    const radius = chordOf(input.radiusKm ?? DEFAULT_RADIUS_KM);
    rows = await settleDistanceTies(
      ctx.db,
      input,
      rows.filter((r) => Number(r.chord) <= radius),
    );
  }
  const page = rows.slice(0, input.limit);
  const items = page.map(({ listing: r, chord }): SearchItem => {
    const item: SearchItem = {
      id: r.id,
      title: r.title,
      propertyType: r.propertyType,
      city: r.city,
      country: r.country,
      location: { lat: r.lat, lng: r.lng },
      maxGuests: r.maxGuests,
      bedrooms: r.bedrooms,
      beds: r.beds,
      bathrooms: r.bathrooms,
      nightlyPrice: r.nightlyPrice,
      currency: r.currency,
      instantBook: r.instantBook,
      rating: ratingOf(r),
      photo: r.photo ?? null,
    };
    if (chord !== null) item.distanceKm = Math.round(kmOf(Number(chord)) * 1000) / 1000;
    return item;
  });
  const last = page.at(-1);
  const result: SearchResult = { items };
  if (rows.length > input.limit && last) {
    const key = sort === "newest" ? last.createdAt.toISOString() : Number(last.sortKey);
    result.next = { key, id: last.id, sort };
  }
  await ctx.deps.cache.set(cacheKey, result, SEARCH_CACHE_TTL_SECONDS);
  return result;
}

/**
 * The nearest-first scan orders by distance alone (the KNN index cannot add `id`), so rows at the
 * same distance come in any order. Sort the page by (distance, id) here, and when equal distances
 * straddle the page's end, fetch that whole group so the cursor neither skips nor repeats.
 */
async function settleDistanceTies(db: Database, input: SearchInput, rows: SearchRow[]): Promise<SearchRow[]> {
  const byKey = (a: SearchRow, b: SearchRow) =>
    Number(a.sortKey) - Number(b.sortKey) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const sorted = [...rows].sort(byKey);
  const edge = sorted[input.limit];
  const lastShown = sorted[input.limit - 1];
  if (!edge || !lastShown || Number(edge.sortKey) !== Number(lastShown.sortKey)) return sorted;
  const tied = await runSearch(db, { ...input, limit: 10_000 }, "distance", Number(edge.sortKey));
  const seen = new Set(sorted.map((r) => r.id));
  return [...sorted, ...tied.filter((r) => !seen.has(r.id))].sort(byKey);
}

type SearchRow = Awaited<ReturnType<typeof searchQuery>>[number];

type Bind = (name: string, value: unknown) => unknown;

type PreparedSearch = { execute(values: Record<string, unknown>): Promise<SearchRow[]> };
const preparedSearches = new WeakMap<Database, Map<string, PreparedSearch>>();

/**
 * Runs a search as a drizzle prepared query, so each shape's SQL is rendered once, and as a named
 * statement, so each connection parses it once. PostgreSQL still plans each execution for its
 * values while that beats the generic plan (LIMIT is a parameter, so generic plans look poor): the
 * plans are those search-plans.test.ts checks. Text and amenity searches are built each time.
 */
async function runSearch(
  db: Database,
  input: SearchInput,
  sort: SearchSort,
  tiedAt?: number,
): Promise<SearchRow[]> {
  // Text and amenities are written into the SQL, not bound: a statement reused by shape would
  // answer with the first request's values.
  if (input.q || input.amenities?.length) return searchQuery(db, input, sort, tiedAt);
  // Building the query is cheap; rendering its SQL is not, and happens only when preparing.
  const values: Record<string, unknown> = {};
  const query = searchQuery(db, input, sort, tiedAt, (name, value) => {
    values[name] = value;
    return sql.placeholder(name);
  });
  // Values are bound; the grid level is written into the SQL.
  const shape = `${sort}|${placeOf(input, sort)?.level}|${Object.keys(values).sort().join(",")}`;
  let byShape = preparedSearches.get(db);
  if (!byShape) {
    byShape = new Map();
    preparedSearches.set(db, byShape);
  }
  let prepared = byShape.get(shape);
  if (!prepared) {
    prepared = query.prepare(statementName(shape)) as unknown as PreparedSearch;
    byShape.set(shape, prepared);
  }
  return prepared.execute(values);
}

/** A stable statement name per query shape (FNV-1a of the shape). */
function statementName(shape: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < shape.length; i++) hash = Math.imul(hash ^ shape.charCodeAt(i), 0x01000193);
  return `search_${(hash >>> 0).toString(36)}`;
}

/**
 * The search as one SQL query (exported so tests can EXPLAIN every shape). `tiedAt` restricts a
 * distance search to one exact distance (see settleDistanceTies).
 */
export function searchQuery(
  db: Database,
  input: SearchInput,
  sort: SearchSort,
  tiedAt?: number,
  bind: Bind = (_name, value) => value,
) {
  // Every value goes through `bind`: as itself, or (for a prepared statement) as a placeholder
  // whose value is collected by name. The cast is that lie, kept in this one place.
  const b = <T>(name: string, value: T): T => bind(name, value) as T;
  const centre = input.near ? sphere(input.near, b) : undefined;
  const chord = sql<number>`cube_distance(${earth}, ${centre})`;
  const place = placeOf(input, sort);
  const radius =
    input.near && sort !== "distance" ? b("radius", chordOf(input.radiusKm ?? DEFAULT_RADIUS_KM)) : 0;
  const conditions: Array<SQL | undefined> = [
    // A literal, not a parameter: a generic plan can then use the partial (published-only) indexes.
    sql`${listings.status} = 'published'`,
    input.country ? eq(listings.country, b("country", input.country)) : undefined,
    input.city ? sql`lower(${listings.city}) = ${b("city", input.city.toLowerCase())}` : undefined,
    input.q
      ? sql`(${listings.title} || ' ' || ${listings.city}) ilike ${`%${likeLiteral(input.q)}%`}`
      : undefined,
    place ? inBoxes(place.boxes, b) : undefined,
    // Nearest-first leaves the radius to the caller: as a filter here, a sparse area would make the
    // index scan walk every listing on Earth looking for rows that are not there.
    centre && sort !== "distance" ? lte(chord, radius) : undefined,
    // The tie group sits on one sphere around the centre: the box bounds the index scan.
    tiedAt !== undefined
      ? sql`${chord} = ${b("tiedAt", tiedAt)} and ${earth} <@ cube_enlarge(${centre}, ${b("tiedBox", tiedAt + 1e-12)}, 3)`
      : undefined,
    input.guests ? gte(listings.maxGuests, b("guests", input.guests)) : undefined,
    input.minPrice !== undefined ? gte(listings.nightlyPrice, b("minPrice", input.minPrice)) : undefined,
    input.maxPrice !== undefined ? lte(listings.nightlyPrice, b("maxPrice", input.maxPrice)) : undefined,
    input.currency ? eq(listings.currency, b("currency", input.currency)) : undefined,
    input.propertyType ? eq(listings.propertyType, b("propertyType", input.propertyType)) : undefined,
    input.amenities?.length
      ? sql`${listings.amenities} @> array[${sql.join(
          input.amenities.map((a) => sql`${a}`),
          sql`, `,
        )}]::text[]`
      : undefined,
    input.instantBook !== undefined
      ? eq(listings.instantBook, b("instantBook", input.instantBook))
      : undefined,
  ];

  const order = {
    price_asc: { key: sql`${listings.nightlyPrice}`, dir: "asc" },
    price_desc: { key: sql`${listings.nightlyPrice}`, dir: "desc" },
    newest: { key: sql`${listings.createdAt}`, dir: "desc" },
    distance: { key: chord, dir: "asc" },
    rating: { key: ratingKey, dir: "desc" },
  }[sort];
  if (input.after) {
    const after = b("afterKey", sort === "newest" ? new Date(String(input.after.key)) : input.after.key);
    const afterId = b("afterId", input.after.id);
    conditions.push(
      order.dir === "asc"
        ? sql`(${order.key}, ${listings.id}) > (${after}, ${afterId})`
        : sql`(${order.key}, ${listings.id}) < (${after}, ${afterId})`,
    );
  }
  const orderBy =
    sort === "distance"
      ? [sql`${earth} <-> ${centre}`]
      : [
          order.dir === "asc" ? asc(order.key) : desc(order.key),
          order.dir === "asc" ? asc(listings.id) : desc(listings.id),
        ];
  // The listing's fields as one JSON value per row: mapping a score of columns per row through the
  // query builder cost more than the database took to find them.
  const shown = {
    id: listings.id,
    title: listings.title,
    propertyType: listings.propertyType,
    city: listings.city,
    country: listings.country,
    lat: listings.lat,
    lng: listings.lng,
    maxGuests: listings.maxGuests,
    bedrooms: listings.bedrooms,
    beds: listings.beds,
    bathrooms: listings.bathrooms,
    nightlyPrice: listings.nightlyPrice,
    currency: listings.currency,
    instantBook: listings.instantBook,
    ratingSum: listings.ratingSum,
    ratingCount: listings.ratingCount,
    photo: sql`${listings.photos} -> 0`,
  };
  const columns = {
    id: listings.id,
    listing: sql<ShownListing>`json_build_object(${sql.join(
      Object.entries(shown).map(([key, value]) => sql`${sql.raw(`'${key}'`)}, ${value}`),
      sql`, `,
    )})`,
    createdAt: listings.createdAt,
  };
  const sortKey = sql<number | string>`${order.key}`;
  const chordColumn = centre ? chord : sql<null>`null`;

  if (!place) {
    return db
      .select({ ...columns, sortKey, chord: chordColumn })
      .from(listings)
      .where(and(...conditions))
      .orderBy(...orderBy)
      .limit(b("limit", input.limit + 1));
  }
  // A place on the map: each covering grid cell yields its own first rows (in order from the cell's
  // index when sorted by price, else ranked from the index alone), the best of those make the
  // page, and only the page's rows are read from the table. The plan is the same whatever the
  // place or its density, so a prepared statement keeps it.
  const cell = [listings.cell0, listings.cell1, listings.cell2, listings.cell3][place.level];
  const hits = db
    .select({ id: listings.id, sortKey: sortKey.as("sort_key"), chord: chordColumn.as("chord") })
    .from(listings)
    .where(and(sql`${cell} = grid.cell`, ...conditions))
    .orderBy(...orderBy)
    .limit(b("limit", input.limit + 1))
    .as("hits");
  const inOrder = (key: SQLWrapper | AnyColumn, id: SQLWrapper | AnyColumn) =>
    order.dir === "asc" ? [asc(key), asc(id)] : [desc(key), desc(id)];
  const page = db
    .select({ id: hits.id, sortKey: hits.sortKey, chord: hits.chord })
    // An array literal in one text parameter: drizzle would spread a JS array into many.
    .from(sql`unnest(${b("cells", `{${place.cells.join(",")}}`)}::int[]) as grid(cell)`)
    .crossJoinLateral(hits)
    .orderBy(...inOrder(hits.sortKey, hits.id))
    .limit(b("limit", input.limit + 1))
    .as("page");
  return db
    .select({ ...columns, sortKey: page.sortKey, chord: page.chord })
    .from(page)
    .innerJoin(listings, eq(listings.id, page.id))
    .orderBy(...inOrder(page.sortKey, page.id));
}
