import type {
  Amenity,
  cancellationPolicies,
  listingStatuses,
  Photo,
  propertyTypes,
} from "../../db/schema/index.ts";
import type { Listing } from "./listing-view.ts";

/** What a host sends to create a listing (validated at the HTTP edge; cross-field rules here). */
export interface ListingInput {
  title: string;
  description: string;
  propertyType: (typeof propertyTypes)[number];
  address: {
    line1: string;
    city: string;
    region?: string | null;
    postalCode?: string | null;
    country: string;
  };
  location: { lat: number; lng: number };
  timezone: string;
  maxGuests: number;
  bedrooms: number;
  beds: number;
  bathrooms: number;
  amenities: Amenity[];
  houseRules?: string | null;
  checkInTime: string;
  checkOutTime: string;
  nightlyPrice: number;
  currency: string;
  cleaningFee: number;
  minNights: number;
  maxNights: number;
  instantBook: boolean;
  cancellationPolicy: (typeof cancellationPolicies)[number];
  photos: Photo[];
  status: (typeof listingStatuses)[number];
}

/** PATCH: any subset; `address` and `location` merge field by field. */
export type ListingChanges = Partial<Omit<ListingInput, "address" | "location">> & {
  address?: Partial<ListingInput["address"]> | undefined;
  location?: Partial<ListingInput["location"]> | undefined;
};

/** Row columns for an input (after merging, for updates). */
export function listingColumns(input: ListingInput) {
  const { address, location, ...rest } = input;
  return {
    ...rest,
    houseRules: input.houseRules ?? null,
    addressLine1: address.line1,
    city: address.city,
    region: address.region ?? null,
    postalCode: address.postalCode ?? null,
    country: address.country,
    lat: location.lat,
    lng: location.lng,
  };
}

/** The editable fields of a listing as it is now, for merging a PATCH onto. */
export function inputOf(listing: Listing): ListingInput {
  const {
    id: _id,
    hostId: _host,
    rating: _rating,
    createdAt: _created,
    updatedAt: _updated,
    ...input
  } = listing;
  return input;
}
