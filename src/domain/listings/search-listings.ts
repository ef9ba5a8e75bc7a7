import { and, asc, desc, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { type Amenity, listings, type propertyTypes } from "../../db/schema/index.ts";
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

const point = sql`point(${listings.lng}, ${listings.lat})`;

/** Great-circle distance in km (haversine), in SQL. */
function distanceKm(near: { lat: number; lng: number }): SQL<number> {
  return sql<number>`(2 * ${EARTH_RADIUS_KM} * asin(sqrt(
    power(sin(radians(${listings.lat} - ${near.lat}) / 2), 2)
    + cos(radians(${near.lat})) * cos(radians(${listings.lat})) * power(sin(radians(${listings.lng} - ${near.lng}) / 2), 2)
  )))`;
}

/** Boxes (degrees) that contain every point within `radiusKm` of `near`; two when it crosses ±180°. */
function boxesAround(near: { lat: number; lng: number }, radiusKm: number) {
  const dLat = (radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI);
  const south = Math.max(-90, near.lat - dLat);
  const north = Math.min(90, near.lat + dLat);
  const cos = Math.cos((Math.max(Math.abs(south), Math.abs(north)) * Math.PI) / 180);
  const dLng = cos < 1e-6 ? 180 : Math.min(180, dLat / cos);
  return boxes({ swLat: south, swLng: near.lng - dLng, neLat: north, neLng: near.lng + dLng });
}

function boxes(b: { swLat: number; swLng: number; neLat: number; neLng: number }) {
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

/** Served by the GiST index on point(lng, lat). */
function inBoxes(list: ReturnType<typeof boxes>): SQL {
  const parts = list.map(
    (b) => sql`${point} <@ box(point(${b.swLng}, ${b.swLat}), point(${b.neLng}, ${b.neLat}))`,
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
  photo: { url: string; caption: string | null } | null;
  distanceKm?: number;
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

  const rows = await searchQuery(ctx.db, input, sort);
  const page = rows.slice(0, input.limit);
  const items = page.map((r): SearchItem => {
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
      photo: r.photos[0] ?? null,
    };
    if (sort === "distance") item.distanceKm = Math.round(Number(r.sortKey) * 1000) / 1000;
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

/** The search as one SQL query (exported so tests can EXPLAIN every shape). */
export function searchQuery(db: Database, input: SearchInput, sort: SearchSort) {
  const radiusKm = input.radiusKm ?? DEFAULT_RADIUS_KM;
  const distance = input.near ? distanceKm(input.near) : undefined;
  const conditions: Array<SQL | undefined> = [
    eq(listings.status, "published"),
    input.country ? eq(listings.country, input.country) : undefined,
    input.city ? sql`lower(${listings.city}) = ${input.city.toLowerCase()}` : undefined,
    input.q
      ? sql`(${listings.title} || ' ' || ${listings.city}) ilike ${`%${likeLiteral(input.q)}%`}`
      : undefined,
    input.bbox ? inBoxes(boxes(input.bbox)) : undefined,
    input.near && distance
      ? and(inBoxes(boxesAround(input.near, radiusKm)), lte(distance, radiusKm))
      : undefined,
    input.guests ? gte(listings.maxGuests, input.guests) : undefined,
    input.minPrice !== undefined ? gte(listings.nightlyPrice, input.minPrice) : undefined,
    input.maxPrice !== undefined ? lte(listings.nightlyPrice, input.maxPrice) : undefined,
    input.currency ? eq(listings.currency, input.currency) : undefined,
    input.propertyType ? eq(listings.propertyType, input.propertyType) : undefined,
    input.amenities?.length
      ? sql`${listings.amenities} @> array[${sql.join(
          input.amenities.map((a) => sql`${a}`),
          sql`, `,
        )}]::text[]`
      : undefined,
    input.instantBook !== undefined ? eq(listings.instantBook, input.instantBook) : undefined,
  ];

  const order = {
    price_asc: { key: sql`${listings.nightlyPrice}`, dir: "asc" },
    price_desc: { key: sql`${listings.nightlyPrice}`, dir: "desc" },
    newest: { key: sql`${listings.createdAt}`, dir: "desc" },
    distance: { key: distance ?? sql`0`, dir: "asc" },
    rating: { key: ratingKey, dir: "desc" },
  }[sort];
  if (input.after) {
    const after = sort === "newest" ? new Date(String(input.after.key)) : input.after.key;
    conditions.push(
      order.dir === "asc"
        ? sql`(${order.key}, ${listings.id}) > (${after}, ${input.after.id})`
        : sql`(${order.key}, ${listings.id}) < (${after}, ${input.after.id})`,
    );
  }

  return db
    .select({
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
      photos: listings.photos,
      createdAt: listings.createdAt,
      sortKey: sql<number | string>`${order.key}`,
    })
    .from(listings)
    .where(and(...conditions))
    .orderBy(
      order.dir === "asc" ? asc(order.key) : desc(order.key),
      order.dir === "asc" ? asc(listings.id) : desc(listings.id),
    )
    .limit(input.limit + 1);
}
