import {
  asc,
  type Column,
  desc,
  eq,
  gte,
  ilike,
  lte,
  type Placeholder,
  type SQL,
  type SQLWrapper,
  sql,
} from "drizzle-orm";
import { listings, ratingKeyOf } from "../../db/schema/index.ts";
import { sphere } from "./places.ts";
import { availableFor } from "./search-availability.ts";
import type { Search } from "./search-input.ts";

// The parts every search statement is made of (search-query.ts and nearest-first.ts put them together).

/**
 * The values of one search, each bound by name, and the shape of its statement: which values it
 * binds and how it is laid out. Searches of one shape share one statement, rendered once.
 */
export class Bindings {
  readonly values: Record<string, unknown> = {};
  readonly #shape: string[] = [];

  /** `value` as a placeholder named `name`, filled when the statement runs. */
  bind(name: string, value: unknown): Placeholder {
    this.values[name] = value;
    this.#shape.push(name);
    return sql.placeholder(name);
  }

  /** A choice in the statement's layout that no bound value shows (the order, the grid level). */
  lay(choice: string): void {
    this.#shape.push(`[${choice}]`);
  }

  get shape(): string {
    return this.#shape.join(",");
  }
}

/** An array literal in one parameter: drizzle would spread a JavaScript array into many. */
export const arrayLiteral = (values: ReadonlyArray<string | number>) => `{${values.join(",")}}`;

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
export function centreOf(near: { lat: number; lng: number }, b: Bindings): SQL {
  const { cx, cy, cz } = sphere(near);
  return sql`(select cube(array[${b.bind("cx", cx)}, ${b.bind("cy", cy)}, ${b.bind("cz", cz)}]::float8[]))`;
}

export function chordFrom(centre: SQL): SQL<number> {
  return sql<number>`cube_distance(${earth}, ${centre})`;
}

/** Escapes LIKE wildcards so the text is matched literally. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Every filter of the search but its place on the map and its cursor; with dates, availability. */
export function filters(search: Search, b: Bindings): SQL[] {
  const { country, city, q, guests, minPrice, maxPrice, minRating, currency, propertyType, amenities } =
    search;
  const conditions: Array<SQL | undefined> = [
    // A literal, not a parameter, so the partial (published-only) indexes apply.
    sql`${listings.status} = 'published'`,
    country ? eq(listings.country, b.bind("country", country)) : undefined,
    city ? sql`lower(${listings.city}) = ${b.bind("city", city.toLowerCase())}` : undefined,
    q
      ? ilike(sql`${listings.title} || ' ' || ${listings.city}`, b.bind("q", `%${likeLiteral(q)}%`))
      : undefined,
    guests ? gte(listings.maxGuests, b.bind("guests", guests)) : undefined,
    minPrice !== undefined ? gte(listings.nightlyPrice, b.bind("minPrice", minPrice)) : undefined,
    maxPrice !== undefined ? lte(listings.nightlyPrice, b.bind("maxPrice", maxPrice)) : undefined,
    // The rating sort's own key (-1 before the first review), so the rating indexes serve both.
    minRating !== undefined ? gte(ratingKeyOf(listings), b.bind("minRating", minRating)) : undefined,
    currency ? eq(listings.currency, b.bind("currency", currency)) : undefined,
    propertyType ? eq(listings.propertyType, b.bind("propertyType", propertyType)) : undefined,
    amenities
      ? sql`${listings.amenities} @> ${b.bind("amenities", arrayLiteral(amenities))}::text[]`
      : undefined,
    search.instantBook !== undefined
      ? eq(listings.instantBook, b.bind("instantBook", search.instantBook))
      : undefined,
    ...(search.stay ? availableFor(search.stay, b) : []),
  ];
  return conditions.filter((condition) => condition !== undefined);
}

export interface Order {
  key: SQL;
  dir: "asc" | "desc";
}

export function orderOf(sort: Search["sort"], b: Bindings, chord?: SQL): Order {
  b.lay(sort);
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
export function afterPosition(search: Search, order: Order, b: Bindings): SQL | undefined {
  if (!search.after) return undefined;
  const key = search.sort === "newest" ? new Date(String(search.after.key)) : search.after.key;
  const beyond = order.dir === "asc" ? sql`>` : sql`<`;
  return sql`(${order.key}, ${listings.id}) ${beyond} (${b.bind("afterKey", key)}, ${b.bind("afterId", search.after.id)})`;
}

export function inOrder(order: Order, key: SQLWrapper | Column, id: SQLWrapper | Column): SQL[] {
  return order.dir === "asc" ? [asc(key), asc(id)] : [desc(key), desc(id)];
}
