import {
  arrayContains,
  asc,
  type Column,
  desc,
  eq,
  gte,
  ilike,
  lte,
  type SQL,
  type SQLWrapper,
  sql,
} from "drizzle-orm";
import { listings, ratingKeyOf } from "../../db/schema/index.ts";
import { sphere } from "./places.ts";
import type { Search } from "./search-input.ts";

// The parts every search statement is made of (search-query.ts and nearest-first.ts put them together).

/** What a search reads of each listing: its item's columns, its sort key, and its chord from a centre. */
export const itemColumns = {
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
  photo: sql<{ url: string; caption: string | null } | null>`${listings.photos} -> 0`,
};

/**
 * A listing's position on the unit sphere: the chord between two such points grows with the
 * great-circle distance, so nearest first is smallest chord first.
 */
export const earth = sql`cube(array[cosd(${listings.lat}) * cosd(${listings.lng}), cosd(${listings.lat}) * sind(${listings.lng}), sind(${listings.lat})])`;

/** The search's centre on the unit sphere, as a scalar subquery: built once, not once per row. */
export function centreOf(near: { lat: number; lng: number }): SQL {
  const { cx, cy, cz } = sphere(near);
  return sql`(select cube(array[${cx}, ${cy}, ${cz}]::float8[]))`;
}

export function chordFrom(centre: SQL): SQL<number> {
  return sql<number>`cube_distance(${earth}, ${centre})`;
}

/** Escapes LIKE wildcards so the text is matched literally. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Every filter of the search but its place on the map and its cursor. */
export function filters(search: Search): SQL[] {
  const conditions: Array<SQL | undefined> = [
    // A literal, not a parameter, so the partial (published-only) indexes apply.
    sql`${listings.status} = 'published'`,
    search.country ? eq(listings.country, search.country) : undefined,
    search.city ? sql`lower(${listings.city}) = ${search.city.toLowerCase()}` : undefined,
    search.q
      ? ilike(sql`${listings.title} || ' ' || ${listings.city}`, `%${likeLiteral(search.q)}%`)
      : undefined,
    search.guests ? gte(listings.maxGuests, search.guests) : undefined,
    search.minPrice !== undefined ? gte(listings.nightlyPrice, search.minPrice) : undefined,
    search.maxPrice !== undefined ? lte(listings.nightlyPrice, search.maxPrice) : undefined,
    search.currency ? eq(listings.currency, search.currency) : undefined,
    search.propertyType ? eq(listings.propertyType, search.propertyType) : undefined,
    search.amenities ? arrayContains(listings.amenities, search.amenities) : undefined,
    search.instantBook !== undefined ? eq(listings.instantBook, search.instantBook) : undefined,
  ];
  return conditions.filter((condition) => condition !== undefined);
}

export interface Order {
  key: SQL;
  dir: "asc" | "desc";
}

export function orderOf(sort: Search["sort"], chord?: SQL): Order {
  switch (sort) {
    case "price_asc":
      return { key: sql`${listings.nightlyPrice}`, dir: "asc" };
    case "price_desc":
      return { key: sql`${listings.nightlyPrice}`, dir: "desc" };
    case "newest":
      return { key: sql`${listings.createdAt}`, dir: "desc" };
    case "rating":
      return { key: ratingKeyOf(listings), dir: "desc" };
    case "distance":
      if (!chord) throw new Error("a distance order needs a centre");
      return { key: chord, dir: "asc" };
  }
}

/** Rows after the cursor's position in the order: keyset on (sort key, id). */
export function afterPosition(search: Search, order: Order): SQL | undefined {
  if (!search.after) return undefined;
  const key = search.sort === "newest" ? new Date(String(search.after.key)) : search.after.key;
  const beyond = order.dir === "asc" ? sql`>` : sql`<`;
  return sql`(${order.key}, ${listings.id}) ${beyond} (${key}, ${search.after.id})`;
}

export function inOrder(order: Order, key: SQLWrapper | Column, id: SQLWrapper | Column): SQL[] {
  return order.dir === "asc" ? [asc(key), asc(id)] : [desc(key), desc(id)];
}
