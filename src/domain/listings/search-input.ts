import { z } from "zod";
import type { Box } from "../../db/grid.ts";
import { addDays, daysBetween, localDate } from "../bookings/local-time.ts";
import { MAX_STAY_NIGHTS } from "../bookings/vocabulary.ts";
import { invalidField } from "../errors.ts";
import type { Amenity, PropertyType } from "./vocabulary.ts";
import { MAX_BOOKING_WINDOW_DAYS, MAX_PRICE } from "./vocabulary.ts";

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
  /** Only listings whose average rating is at least this (listings nobody rated yet are left out). */
  minRating?: number | undefined;
  currency?: string | undefined;
  propertyType?: PropertyType | undefined;
  amenities?: Amenity[] | undefined;
  instantBook?: boolean | undefined;
  /** Both or neither (`YYYY-MM-DD`, check-out exclusive): only listings free and bookable for the stay. */
  checkIn?: string | undefined;
  checkOut?: string | undefined;
  sort?: SearchSort | undefined;
  limit: number;
  after?: SearchPosition | undefined;
}

/**
 * The stay of a dated search, and the instant the search is made: each listing reads that instant
 * on its own clock to decide whether the check-in is far enough ahead, and not too far.
 */
export interface SearchedStay {
  checkIn: string;
  checkOut: string;
  nights: number;
  now: Date;
}

/** A search with its rules applied: the sort and radius decided, the amenities in one order. */
export type Search = Omit<SearchInput, "sort" | "radiusKm" | "checkIn" | "checkOut"> & {
  sort: SearchSort;
  radiusKm: number;
  stay?: SearchedStay | undefined;
};

/**
 * Applies the rules that span several fields; the one place the default sort is decided. `now`
 * (the app's clock) is needed when the search has dates.
 */
export function resolveSearch(input: SearchInput, now?: Date): Search {
  const sort = input.sort ?? (input.near ? "distance" : "price_asc");
  if (sort === "distance" && !input.near) {
    throw invalidField("sort", "distance requires near=lat,lng", "Sorting by distance needs `near`.");
  }
  if (input.after && input.after.sort !== sort) {
    throw invalidField("cursor", "Cursor and sort do not match", "The cursor belongs to another sort order.");
  }
  const { checkIn, checkOut, ...rest } = input;
  return {
    ...rest,
    sort,
    radiusKm: input.radiusKm ?? DEFAULT_RADIUS_KM,
    amenities: input.amenities?.length ? [...new Set(input.amenities)].sort() : undefined,
    stay: checkIn === undefined && checkOut === undefined ? undefined : stayOf(checkIn, checkOut, now),
  };
}

/**
 * The stay of a dated search, refused when no listing anywhere could take it. Each listing's own
 * rules (nights, notice, booking window on its own calendar) are the statement's to apply.
 */
function stayOf(
  checkIn: string | undefined,
  checkOut: string | undefined,
  now: Date | undefined,
): SearchedStay {
  if (checkIn === undefined) throw invalidField("checkIn", "Required with checkOut");
  if (checkOut === undefined) throw invalidField("checkOut", "Required with checkIn");
  if (!now) throw new Error("a dated search needs the time it is made");
  const nights = daysBetween(checkIn, checkOut);
  if (nights < 1) throw invalidField("checkOut", "Must be after checkIn");
  if (nights > MAX_STAY_NIGHTS) throw invalidField("checkOut", `A stay is at most ${MAX_STAY_NIGHTS} nights`);
  // Today on the first and on the last calendar on Earth (UTC+14 and UTC-12).
  const latest = addDays(localDate(now, "Etc/GMT-14"), MAX_BOOKING_WINDOW_DAYS);
  const earliest = localDate(now, "Etc/GMT+12");
  if (checkIn < earliest)
    throw invalidField("checkIn", `Is in the past everywhere: the earliest today on Earth is ${earliest}`);
  if (checkIn > latest) throw invalidField("checkIn", `No listing takes a stay starting after ${latest}`);
  return { checkIn, checkOut, nights, now };
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
  return `search:v3:${JSON.stringify(entries)}`;
}
