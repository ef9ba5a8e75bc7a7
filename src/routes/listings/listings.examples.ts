import type { z } from "@hono/zod-openapi";
import type { Listing, newListingSchema, SearchItem } from "../../domain/listings/listing-schemas.ts";
import { exampleIds } from "../example-ids.ts";

/**
 * The reference's listing examples: the Paris loft of `exampleIds.listing`, hosted by
 * `exampleIds.host`. Prices are minor units of EUR.
 */

/** A complete, valid create body: the documented example, and the tests' default listing. */
export const newListingExample: z.input<typeof newListingSchema> = {
  title: "Sunny loft by the canal",
  description: "Two bright rooms, five minutes from the station.",
  propertyType: "entire_home",
  address: { line1: "12 quai de Jemmapes", city: "Paris", postalCode: "75010", country: "FR" },
  location: { lat: 48.8722, lng: 2.3654 },
  timezone: "Europe/Paris",
  maxGuests: 4,
  bedrooms: 2,
  beds: 2,
  bathrooms: 1,
  amenities: ["wifi", "kitchen", "washer"],
  checkInTime: "15:00",
  checkOutTime: "11:00",
  nightlyPrice: 12500,
  currency: "EUR",
  cleaningFee: 3000,
  cancellationPolicy: "moderate",
  status: "published",
};

/** The listing `newListingExample` creates: its body, the defaults filled in, no review yet. */
export const createdListingExample: Listing = {
  id: exampleIds.listing,
  hostId: exampleIds.host,
  title: "Sunny loft by the canal",
  description: "Two bright rooms, five minutes from the station.",
  propertyType: "entire_home",
  address: { line1: "12 quai de Jemmapes", city: "Paris", region: null, postalCode: "75010", country: "FR" },
  location: { lat: 48.8722, lng: 2.3654 },
  timezone: "Europe/Paris",
  maxGuests: 4,
  bedrooms: 2,
  beds: 2,
  bathrooms: 1,
  amenities: ["wifi", "kitchen", "washer"],
  houseRules: null,
  checkInTime: "15:00",
  checkOutTime: "11:00",
  nightlyPrice: 12500,
  currency: "EUR",
  cleaningFee: 3000,
  minNights: 1,
  maxNights: 365,
  instantBook: false,
  advanceNoticeDays: 0,
  bookingWindowDays: 365,
  weeklyDiscountPercent: 0,
  monthlyDiscountPercent: 0,
  cancellationPolicy: "moderate",
  photos: [],
  status: "published",
  rating: {
    average: null,
    count: 0,
    categories: {
      cleanliness: null,
      accuracy: null,
      checkIn: null,
      communication: null,
      location: null,
      value: null,
    },
  },
  createdAt: "2025-12-06T13:03:20.910Z",
  updatedAt: "2025-12-06T13:03:20.910Z",
};

const livingRoom = {
  url: "https://images.example.com/listings/sunny-loft/living-room.jpg",
  caption: "The living room, over the canal",
};

/** The loft as a reader finds it later: photos, house rules, booking settings and twelve reviews. */
export const listingExample: Listing = {
  ...createdListingExample,
  houseRules: "No parties. Quiet after 22:00, please: the neighbours have children.",
  minNights: 2,
  maxNights: 90,
  instantBook: true,
  advanceNoticeDays: 1,
  weeklyDiscountPercent: 10,
  monthlyDiscountPercent: 20,
  photos: [livingRoom, { url: "https://images.example.com/listings/sunny-loft/bedroom.jpg", caption: null }],
  rating: {
    average: 4.83,
    count: 12,
    categories: {
      cleanliness: 4.92,
      accuracy: 4.75,
      checkIn: 5,
      communication: 4.92,
      location: 4.83,
      value: 4.58,
    },
  },
  updatedAt: "2026-01-18T17:42:05.118Z",
};

/** `listingExample` after the update example's change of its nightly price. */
export const updatedListingExample: Listing = {
  ...listingExample,
  nightlyPrice: 13900,
  updatedAt: "2026-02-03T08:21:47.302Z",
};

/** A page of listings, as `listings.listMine` answers it (the last page: no next cursor). */
export const listingPageExample: { items: Listing[]; nextCursor: string | null } = {
  items: [listingExample],
  nextCursor: null,
};

/** The loft as a search near the Hôtel de Ville (48.8566,2.3522) for three nights finds it. */
export const searchItemExample: SearchItem = {
  id: exampleIds.listing,
  title: "Sunny loft by the canal",
  propertyType: "entire_home",
  city: "Paris",
  country: "FR",
  location: { lat: 48.8722, lng: 2.3654 },
  maxGuests: 4,
  bedrooms: 2,
  beds: 2,
  bathrooms: 1,
  nightlyPrice: 12500,
  currency: "EUR",
  instantBook: true,
  rating: { average: 4.83, count: 12 },
  photo: livingRoom,
  distanceKm: 1.985,
  // 3 × 125.00 + 30.00 cleaning, plus the guest's 14 % service fee: 405.00 + 56.70.
  stay: { nights: 3, total: 46170, currency: "EUR" },
};

export const searchPageExample: { items: SearchItem[]; nextCursor: string | null } = {
  items: [searchItemExample],
  nextCursor: null,
};
