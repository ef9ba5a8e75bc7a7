import { type AnyColumn, and, asc, desc, eq, gte, lte, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { gridCover } from "../../db/grid.ts";
import { preparedStatement } from "../../db/prepared.ts";
import { type Amenity, listings, type Photo, type propertyTypes } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { boxAround, boxes, chordOf, kmOf, sphere } from "./places.ts";

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
/** How long a search answer may be reused (see searchCacheKey). */
export const SEARCH_CACHE_TTL_SECONDS = 15;

/**
 * A listing's position as a point on the unit sphere. The straight-line (chord) distance between
 * two such points grows with the great-circle distance: nearest first is smallest chord first.
 */
const earth = sql`cube(array[cosd(${listings.lat}) * cosd(${listings.lng}), cosd(${listings.lat}) * sind(${listings.lng}), sind(${listings.lat})])`;

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

/** Latitude and longitude ranges (two longitude ranges across the antimeridian), as values. */
function inBoxes(count: number, value: (name: string) => unknown): SQL {
  const parts = Array.from(
    { length: count },
    (_, i) =>
      sql`(${listings.lat} between ${value(`s${i}`)} and ${value(`n${i}`)} and ${listings.lng} between ${value(`w${i}`)} and ${value(`e${i}`)})`,
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

/**
 * Each listing a search finds as the JSON text of its SearchItem: the text each listing keeps
 * (search_item, migration 0010), with distanceKm added when the search has a centre. A page is
 * those texts joined, never parsed and serialised again (that round trip, and building the text
 * per search, cost more than finding the rows). The distance is great-circle kilometres, to the
 * metre, from the chord the row was ranked by. It is added here, not in SQL: cutting the text's
 * last character there (`left(text, -1)`) counts every character of it in UTF-8, which made a
 * nearest-first query 13–16% slower in pgbench.
 */
function itemJson(item: string, chord: number | undefined): string {
  if (chord === undefined) return item;
  return `${item.slice(0, -1)},"distanceKm":${Math.round(kmOf(chord) * 1000) / 1000}}`;
}

export interface SearchResult {
  /** Each item as the JSON text of a SearchItem (see itemJson). */
  items: string[];
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
  const rows = await runSearch(ctx.db, input, sort);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  // Nearest-first is ranked by the chord: its sort key is the chord.
  const rowChord = (row: SearchRow) => {
    const chord = sort === "distance" ? row.sortKey : row.chord;
    return chord === undefined ? undefined : Number(chord);
  };
  const result: SearchResult = { items: page.map((row) => itemJson(row.item, rowChord(row))) };
  if (rows.length > input.limit && last) {
    const key = sort === "newest" ? new Date(last.sortKey).toISOString() : Number(last.sortKey);
    result.next = { key, id: last.id, sort };
  }
  return result;
}

/**
 * A listing as a search reads it: its item's JSON text, its sort key and id for the cursor, and
 * when given, its chord distance from the search's centre (nearest-first gives none: its sort key
 * is the chord).
 */
type SearchRow = { item: string; id: string; sortKey: number | string | Date; chord?: number };
const searchRow = (sortKey: SQLWrapper, chord: SQLWrapper | undefined) => ({
  item: listings.searchItem,
  id: listings.id,
  sortKey: sql<number | string | Date>`${sortKey}`,
  ...(chord ? { chord: sql<number>`${chord}` } : {}),
});

type PreparedSearch = { execute(values: Record<string, unknown>): Promise<SearchRow[]> };

/**
 * Runs a search as a drizzle prepared query and a named statement: each shape (sort, grid level
 * and which values are given) is built, rendered and parsed once, and its plan does not depend on
 * the values, so PostgreSQL reuses it (the plans search-plans.test.ts checks). Text and amenity
 * searches are built each time.
 */
async function runSearch(db: Database, input: SearchInput, sort: SearchSort): Promise<SearchRow[]> {
  // Text and amenities are written into the SQL, not bound: a statement reused by shape would
  // answer with the first request's values.
  if (input.q || input.amenities?.length) return (await searchQuery(db, input, sort)) as SearchRow[];
  const { values, level } = searchValues(input, sort);
  const candidates = sort === "distance" ? candidatesFor(input.limit) : undefined;
  const shape = `${sort}|${level}|${candidates}|${Object.keys(values).join(",")}`;
  const prepared = preparedStatement(
    db,
    "search",
    shape,
    (name) => searchQuery(db, input, sort, { prepared: true }).prepare(name) as unknown as PreparedSearch,
  );
  return prepared.execute(values);
}

/**
 * Every value a search binds, by name, always in the same order: which names are present (with
 * the sort and grid level) decides the SQL, so equal shapes share one prepared statement.
 */
export function searchValues(input: SearchInput, sort: SearchSort) {
  const values: Record<string, unknown> = {};
  if (input.near && sort === "distance") Object.assign(values, input.near);
  if (input.near) {
    Object.assign(values, sphere(input.near));
    values.radius = chordOf(input.radiusKm ?? DEFAULT_RADIUS_KM);
  }
  if (input.country) values.country = input.country;
  if (input.city) values.city = input.city.toLowerCase();
  const place = placeOf(input, sort);
  place?.boxes.forEach((box, i) => {
    values[`s${i}`] = box.swLat;
    values[`n${i}`] = box.neLat;
    values[`w${i}`] = box.swLng;
    values[`e${i}`] = box.neLng;
  });
  // An array literal in one text parameter: drizzle would spread a JS array into many.
  if (place) values.cells = `{${place.cells.join(",")}}`;
  if (input.guests) values.guests = input.guests;
  if (input.minPrice !== undefined) values.minPrice = input.minPrice;
  if (input.maxPrice !== undefined) values.maxPrice = input.maxPrice;
  if (input.currency) values.currency = input.currency;
  if (input.propertyType) values.propertyType = input.propertyType;
  if (input.instantBook !== undefined) values.instantBook = input.instantBook;
  if (input.after) {
    values.afterKey = sort === "newest" ? new Date(String(input.after.key)) : input.after.key;
    values.afterId = input.after.id;
  }
  values.limit = input.limit + 1;
  return { values, level: place?.level, boxes: place?.boxes.length ?? 0 };
}

/** How many listings a nearest-first search reads first (see nearestFirst): at least the page and one more. */
const candidatesFor = (limit: number) => (limit <= 20 ? 20 : 50) + 1;

/** The search as one SQL query (exported so tests can EXPLAIN every shape). */
export function searchQuery(db: Database, input: SearchInput, sort: SearchSort, { prepared = false } = {}) {
  const { values, level, boxes } = searchValues(input, sort);
  const has = (name: string) => name in values;
  // Each value as itself, or in a prepared statement as a placeholder filled by name. The cast is
  // that lie, kept in this one place.
  const v: Value = <T = unknown>(name: string): T => (prepared ? sql.placeholder(name) : values[name]) as T;
  // Built once per execution, not once per listing compared: nearest-first binds it in its origin
  // row (see nearestFirst), other sorts as a scalar subquery.
  const centre = !has("cx")
    ? undefined
    : sort === "distance"
      ? sql`origin.centre`
      : sql`(select cube(array[${v("cx")}, ${v("cy")}, ${v("cz")}]::float8[]))`;
  const chord = sql<number>`cube_distance(${earth}, ${centre})`;
  const conditions: Array<SQL | undefined> = [
    // A literal, not a parameter: a generic plan can then use the partial (published-only) indexes.
    sql`${listings.status} = 'published'`,
    has("country") ? eq(listings.country, v<string>("country")) : undefined,
    has("city") ? sql`lower(${listings.city}) = ${v("city")}` : undefined,
    input.q
      ? sql`(${listings.title} || ' ' || ${listings.city}) ilike ${`%${likeLiteral(input.q)}%`}`
      : undefined,
    boxes ? inBoxes(boxes, v) : undefined,
    // Nearest-first bounds the radius itself (see nearestFirst).
    has("radius") && sort !== "distance" ? lte(chord, v<number>("radius")) : undefined,
    has("guests") ? gte(listings.maxGuests, v<number>("guests")) : undefined,
    has("minPrice") ? gte(listings.nightlyPrice, v<number>("minPrice")) : undefined,
    has("maxPrice") ? lte(listings.nightlyPrice, v<number>("maxPrice")) : undefined,
    has("currency") ? eq(listings.currency, v<string>("currency")) : undefined,
    has("propertyType")
      ? eq(listings.propertyType, v<(typeof propertyTypes)[number]>("propertyType"))
      : undefined,
    input.amenities?.length
      ? sql`${listings.amenities} @> array[${sql.join(
          input.amenities.map((a) => sql`${a}`),
          sql`, `,
        )}]::text[]`
      : undefined,
    has("instantBook") ? eq(listings.instantBook, v<boolean>("instantBook")) : undefined,
  ];

  const order = {
    price_asc: { key: sql`${listings.nightlyPrice}`, dir: "asc" },
    price_desc: { key: sql`${listings.nightlyPrice}`, dir: "desc" },
    newest: { key: sql`${listings.createdAt}`, dir: "desc" },
    distance: { key: chord, dir: "asc" },
    rating: { key: ratingKey, dir: "desc" },
  }[sort];
  if (has("afterKey")) {
    const after = v("afterKey");
    const afterId = v("afterId");
    conditions.push(
      order.dir === "asc"
        ? sql`(${order.key}, ${listings.id}) > (${after}, ${afterId})`
        : sql`(${order.key}, ${listings.id}) < (${after}, ${afterId})`,
    );
  }
  const orderBy = [
    order.dir === "asc" ? asc(order.key) : desc(order.key),
    order.dir === "asc" ? asc(listings.id) : desc(listings.id),
  ];
  const sortKey = sql<number | string>`${order.key}`;

  if (sort === "distance") {
    return nearestFirst(db, {
      conditions,
      chord,
      v,
      select: searchRow(chord, undefined),
      orderBy,
      candidates: candidatesFor(input.limit),
    });
  }
  if (level === undefined) {
    return db
      .select(searchRow(sortKey, centre && chord))
      .from(listings)
      .where(and(...conditions))
      .orderBy(...orderBy)
      .limit(v<number>("limit"));
  }
  // A place on the map: each covering grid cell yields its own first rows (in order from the cell's
  // index when sorted by price, else ranked from the index alone), the best of those make the
  // page, and only the page's rows are read from the table. The plan is the same whatever the
  // place or its density, so a prepared statement keeps it.
  const cell = [listings.cell0, listings.cell1, listings.cell2, listings.cell3][level];
  const hits = db
    .select({
      id: listings.id,
      sortKey: sortKey.as("sort_key"),
      chord: (centre ? chord : sql<null>`null`).as("chord"),
    })
    .from(listings)
    .where(and(sql`${cell} = grid.cell`, ...conditions))
    .orderBy(...orderBy)
    .limit(v<number>("limit"))
    .as("hits");
  const inOrder = (key: SQLWrapper | AnyColumn, id: SQLWrapper | AnyColumn) =>
    order.dir === "asc" ? [asc(key), asc(id)] : [desc(key), desc(id)];
  const page = db
    .select({ id: hits.id, sortKey: hits.sortKey, chord: hits.chord })
    .from(sql`unnest(${v("cells")}::int[]) as grid(cell)`)
    .crossJoinLateral(hits)
    .orderBy(...inOrder(hits.sortKey, hits.id))
    .limit(v<number>("limit"))
    .as("page");
  return db
    .select(searchRow(page.sortKey, centre && page.chord))
    .from(page)
    .innerJoin(listings, eq(listings.id, page.id))
    .orderBy(...inOrder(page.sortKey, page.id));
}

type Value = <T = unknown>(name: string) => T;

/**
 * Nearest first, in two steps of one statement. First, `candidates` listings that pass every
 * filter, nearest first on a flat (lng, lat) map, by KNN over listings_position_idx: the farthest
 * of them by true distance (at most the radius) bounds where the page can lie, and the scan stops
 * after that many rows even where listings are sparse. Then every listing in the box round that
 * cap, ranked by true distance and id: ties settle in the database.
 * The candidate count is a literal in the SQL: with a bound LIMIT, the generic plan would expect to
 * read a tenth of all listings, and PostgreSQL would plan every execution again.
 */
function nearestFirst(
  db: Database,
  {
    conditions,
    chord,
    v,
    select,
    orderBy,
    candidates: count,
  }: {
    conditions: Array<SQL | undefined>;
    chord: SQL<number>;
    v: Value;
    select: ReturnType<typeof searchRow>;
    orderBy: SQL[];
    candidates: number;
  },
) {
  const point = sql`point(${listings.lng}, ${listings.lat})`;
  // Every value the search is about, bound once in a row of its own (offset 0 keeps PostgreSQL from
  // copying them back into each expression that uses them).
  const origin = sql`(select ${v("lat")}::float8 as lat, ${v("lng")}::float8 as lng, ${v("radius")}::float8 as radius,
    cube(array[${v("cx")}, ${v("cy")}, ${v("cz")}]::float8[]) as centre offset 0) as origin`;
  const candidates = sql`(select ${chord} as chord from ${listings} where ${and(...conditions)}
    order by ${point} <-> point(origin.lng, origin.lat)
    limit ${sql.raw(String(count))}) as candidates`;
  // The cap's half-angle in degrees, a hair wider than exact so float rounding never leaves out a
  // listing on its rim (as in boxAround).
  const reach = db
    .select({
      chord: sql<number>`least(max(candidates.chord), origin.radius)`.as("reach_chord"),
      angle: sql<number>`degrees(2 * asin(least(max(candidates.chord), origin.radius) / 2)) + 1e-9`.as(
        "reach_angle",
      ),
    })
    .from(candidates)
    .as("reach");
  // Longitudes the cap spans either side of the centre; past a pole, every longitude.
  const span = db
    .select({
      chord: reach.chord,
      angle: reach.angle,
      lngs: sql<number>`case when abs(origin.lat) + ${reach.angle} >= 90 then 180
        else degrees(asin(least(1, sind(${reach.angle}) / cosd(origin.lat)))) + 1e-9 end`.as("lngs"),
    })
    .from(reach)
    .as("span");
  // Reaching ±180 (where a listing may be stored at either sign), the box takes the whole band.
  const cap = sql`case when origin.lng - ${span.lngs} <= -180 or origin.lng + ${span.lngs} >= 180
    then box(point(-180, origin.lat - ${span.angle}), point(180, origin.lat + ${span.angle}))
    else box(point(origin.lng - ${span.lngs}, origin.lat - ${span.angle}), point(origin.lng + ${span.lngs}, origin.lat + ${span.angle})) end`;
  return db
    .select(select)
    .from(origin)
    .crossJoinLateral(span)
    .innerJoin(listings, and(sql`${point} <@ ${cap}`, lte(chord, span.chord), ...conditions))
    .orderBy(...orderBy)
    .limit(v<number>("limit"));
}
