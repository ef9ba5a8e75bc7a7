import { z } from "zod";
import type { Box } from "../../db/grid.ts";
import { invalidField } from "../errors.ts";
import type { Amenity, PropertyType } from "./vocabulary.ts";
import { MAX_PRICE } from "./vocabulary.ts";

export const searchSorts = ["price_asc", "price_desc", "newest", "distance", "rating"] as const;
export type SearchSort = (typeof searchSorts)[number];

export const DEFAULT_RADIUS_KM = 10;
/** How long a search answer may be served from the cache. */
export const SEARCH_CACHE_TTL_SECONDS = 15;

/**
 * Where a page ends: the last item's sort key and id (prices and dates tie). A position comes back
 * from clients inside a cursor, so it is checked to be one a search could have handed out.
 */
export const searchPositionSchema = z.discriminatedUnion("sort", [
  z.object({ sort: z.enum(["price_asc", "price_desc"]), key: z.int().min(1).max(MAX_PRICE), id: z.uuid() }),
  z.object({ sort: z.literal("newest"), key: z.iso.datetime(), id: z.uuid() }),
  // The chord between two points of the unit sphere.
  z.object({ sort: z.literal("distance"), key: z.number().min(0).max(2), id: z.uuid() }),
  // The average rating, or -1 for a listing nobody rated yet.
  z.object({ sort: z.literal("rating"), key: z.number().min(-1).max(5), id: z.uuid() }),
]);
export type SearchPosition = z.output<typeof searchPositionSchema>;

/** What a client asks a search for (the HTTP layer has checked each value on its own). */
export interface SearchInput {
  q?: string | undefined;
  city?: string | undefined;
  country?: string | undefined;
  bbox?: Box | undefined;
  near?: { lat: number; lng: number } | undefined;
  radiusKm?: number | undefined;
  guests?: number | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  currency?: string | undefined;
  propertyType?: PropertyType | undefined;
  amenities?: Amenity[] | undefined;
  instantBook?: boolean | undefined;
  sort?: SearchSort | undefined;
  limit: number;
  after?: SearchPosition | undefined;
}

/** A search with its rules applied: the sort and radius decided, the amenities in one order. */
export type Search = Omit<SearchInput, "sort" | "radiusKm"> & { sort: SearchSort; radiusKm: number };

/** Applies the rules that span several fields; the one place the default sort is decided. */
export function resolveSearch(input: SearchInput): Search {
  const sort = input.sort ?? (input.near ? "distance" : "price_asc");
  if (sort === "distance" && !input.near) {
    throw invalidField("sort", "distance requires near=lat,lng", "Sorting by distance needs `near`.");
  }
  if (input.after && input.after.sort !== sort) {
    throw invalidField("cursor", "Cursor and sort do not match", "The cursor belongs to another sort order.");
  }
  return {
    ...input,
    sort,
    radiusKm: input.radiusKm ?? DEFAULT_RADIUS_KM,
    amenities: input.amenities?.length ? [...new Set(input.amenities)].sort() : undefined,
  };
}

/** Equal searches share a key: text and city compared without case, keys in one order. */
export function searchCacheKey(search: Search): string {
  const normalised: Record<string, unknown> = {
    ...search,
    q: search.q?.toLowerCase(),
    city: search.city?.toLowerCase(),
    radiusKm: search.near ? search.radiusKm : undefined,
  };
  const entries = Object.keys(normalised)
    .sort()
    .filter((key) => normalised[key] !== undefined)
    .map((key) => [key, normalised[key]]);
  return `search:v2:${JSON.stringify(entries)}`;
}
