import type { listings } from "../../db/schema/index.ts";

export type ListingRow = typeof listings.$inferSelect;

/** Integer arithmetic only until the last step: the average is shown to two decimals. */
export function ratingOf(row: Pick<ListingRow, "ratingSum" | "ratingCount">) {
  return {
    average: row.ratingCount === 0 ? null : Math.round((row.ratingSum * 100) / row.ratingCount) / 100,
    count: row.ratingCount,
  };
}

export function listingView(row: ListingRow) {
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
    cancellationPolicy: row.cancellationPolicy,
    photos: row.photos,
    status: row.status,
    rating: ratingOf(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type Listing = ReturnType<typeof listingView>;

/** A listing with its version, which is its ETag. */
export interface VersionedListing {
  listing: Listing;
  version: number;
}

export const listingCacheKey = (id: string) => `listing:v1:${id}`;
export const LISTING_CACHE_TTL_SECONDS = 300;

export function canManage(actor: { userId: string; isAdmin: boolean } | undefined, row: { hostId: string }) {
  return actor !== undefined && (actor.isAdmin || actor.userId === row.hostId);
}
