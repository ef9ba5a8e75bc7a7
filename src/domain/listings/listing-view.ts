import type { listings } from "../../db/schema/index.ts";
import type { Actor } from "../context.ts";
import { type ReviewCategory, reviewCategories } from "../reviews/vocabulary.ts";
import type { Listing, ListingInput, SearchItem, StayTotal } from "./listing-schemas.ts";

export type ListingRow = typeof listings.$inferSelect;

/** The one rounding rule for ratings: integer sums until the last step, two decimals; null before the first. */
export const averageOf = (sum: number, count: number) =>
  count === 0 ? null : Math.round((sum * 100) / count) / 100;

export function ratingOf(row: Pick<ListingRow, "ratingSum" | "ratingCount">): SearchItem["rating"] {
  return { average: averageOf(row.ratingSum, row.ratingCount), count: row.ratingCount };
}

/** Each category's sum column on the listing row. */
const categorySums = {
  cleanliness: "cleanlinessSum",
  accuracy: "accuracySum",
  checkIn: "checkInSum",
  communication: "communicationSum",
  location: "locationSum",
  value: "valueSum",
} as const satisfies Record<ReviewCategory, keyof ListingRow>;

export type CategorySumColumn = (typeof categorySums)[ReviewCategory];

/** The rating with its per-category averages, to two decimals, as the listing's own answer shows it. */
export function listingRatingOf(
  row: Pick<ListingRow, "ratingSum" | "ratingCount" | CategorySumColumn>,
): Listing["rating"] {
  return {
    ...ratingOf(row),
    categories: Object.fromEntries(
      reviewCategories.map((name) => [name, averageOf(row[categorySums[name]], row.ratingCount)]),
    ) as Listing["rating"]["categories"],
  };
}

/** A listing row as the API shows it. */
export function toListing(row: ListingRow): Listing {
  return {
    id: row.id,
    hostId: row.hostId,
    title: row.title,
    description: row.description,
    propertyType: row.propertyType,
    address: {
      line1: row.addressLine1,
      city: row.city,
      region: row.region,
      postalCode: row.postalCode,
      country: row.country,
    },
    location: { lat: row.lat, lng: row.lng },
    timezone: row.timezone,
    maxGuests: row.maxGuests,
    bedrooms: row.bedrooms,
    beds: row.beds,
    bathrooms: row.bathrooms,
    amenities: row.amenities,
    houseRules: row.houseRules,
    checkInTime: row.checkInTime,
    checkOutTime: row.checkOutTime,
    nightlyPrice: row.nightlyPrice,
    currency: row.currency,
    cleaningFee: row.cleaningFee,
    minNights: row.minNights,
    maxNights: row.maxNights,
    instantBook: row.instantBook,
    advanceNoticeDays: row.advanceNoticeDays,
    bookingWindowDays: row.bookingWindowDays,
    weeklyDiscountPercent: row.weeklyDiscountPercent,
    monthlyDiscountPercent: row.monthlyDiscountPercent,
    cancellationPolicy: row.cancellationPolicy,
    photos: row.photos,
    status: row.status,
    rating: listingRatingOf(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The columns a search reads of each listing (see toSearchItem). */
export type SearchItemRow = Pick<
  ListingRow,
  | "id"
  | "title"
  | "propertyType"
  | "city"
  | "country"
  | "lat"
  | "lng"
  | "maxGuests"
  | "bedrooms"
  | "beds"
  | "bathrooms"
  | "nightlyPrice"
  | "currency"
  | "instantBook"
  | "ratingSum"
  | "ratingCount"
> & { photo: ListingRow["photos"][number] | null };

/**
 * A listing found by a search, as the API shows it; `distanceKm` when the search has a centre, and
 * the price of its `stay` when the search has dates.
 */
export function toSearchItem(row: SearchItemRow, distanceKm?: number, stay?: StayTotal): SearchItem {
  const item: SearchItem = {
    id: row.id,
    title: row.title,
    propertyType: row.propertyType,
    city: row.city,
    country: row.country,
    location: { lat: row.lat, lng: row.lng },
    maxGuests: row.maxGuests,
    bedrooms: row.bedrooms,
    beds: row.beds,
    bathrooms: row.bathrooms,
    nightlyPrice: row.nightlyPrice,
    currency: row.currency,
    instantBook: row.instantBook,
    rating: ratingOf(row),
    photo: row.photo,
  };
  if (distanceKm !== undefined) item.distanceKm = distanceKm;
  if (stay !== undefined) item.stay = stay;
  return item;
}

/** The columns of a listing's editable fields (a create, or an update after merging). */
export function listingColumns(input: ListingInput) {
  const { address, location, ...rest } = input;
  return {
    ...rest,
    addressLine1: address.line1,
    city: address.city,
    region: address.region,
    postalCode: address.postalCode,
    country: address.country,
    lat: location.lat,
    lng: location.lng,
  };
}

/** The editable fields of a listing as it is now, for merging a PATCH onto. */
export function inputOf(listing: Listing): ListingInput {
  const { id: _id, hostId: _host, rating: _rating, createdAt: _c, updatedAt: _u, ...input } = listing;
  return input;
}

export function canManage(actor: Pick<Actor, "userId" | "isAdmin"> | undefined, row: { hostId: string }) {
  return actor !== undefined && (actor.isAdmin || actor.userId === row.hostId);
}

/** Published listings are everyone's to see; the others only their host's and admins'. */
export function canSee(actor: Pick<Actor, "userId" | "isAdmin"> | undefined, row: ListingRow) {
  return row.status === "published" || canManage(actor, row);
}
