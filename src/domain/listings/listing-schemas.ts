import { z } from "zod";
import { documentedEnum } from "../documented-enum.ts";
import { type ReviewCategory, reviewCategories } from "../reviews/vocabulary.ts";
import { clockTime, countryCode, currencyCode, timeZone } from "./codes.ts";
import {
  amenityNames,
  cancellationPolicies,
  listingStatuses,
  MAX_BOOKING_WINDOW_DAYS,
  MAX_PHOTOS,
  MAX_PRICE,
  propertyTypes,
} from "./vocabulary.ts";

/**
 * A listing, described once: the API's answer (and so OpenAPI and the TypeScript types), with the
 * host's create and update bodies derived from it below.
 */

const money = z.int().min(0).max(MAX_PRICE);

export const propertyTypeSchema = documentedEnum(propertyTypes, "PropertyType", "What the guest gets.", {
  entire_home: "the whole place, to themselves",
  private_room: "a room of their own, other spaces shared",
  shared_room: "a space shared with others",
  hotel_room: "a room in a hotel, aparthotel or B&B",
});

export const amenitySchema = z.enum(amenityNames).meta({
  id: "Amenity",
  description: `Something the listing offers: ${amenityNames.map((name) => `\`${name}\``).join(", ")}.`,
});

export const cancellationPolicySchema = documentedEnum(
  cancellationPolicies,
  "CancellationPolicy",
  "How much of the total a guest who cancels gets back, by the listing's local check-in time.",
  {
    flexible: "in full until 1 day before check-in, nothing after",
    moderate: "in full until 5 days before check-in, nothing after",
    firm: "in full until 30 days before check-in, half until 7 days before, nothing after",
    strict:
      "in full within 48 hours of booking while check-in is 14 or more days away, half until 7 days before, nothing after",
  },
);

export const listingStatusSchema = documentedEnum(listingStatuses, "ListingStatus", "Who sees a listing.", {
  draft: "only its host and admins; not bookable",
  published: "everyone: in search, and bookable",
  unlisted: "out of search and not bookable; its host and admins still see it, and its stays go on",
});

export const addressSchema = z.object({
  line1: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).nullable(),
  postalCode: z.string().trim().max(20).nullable(),
  country: countryCode,
});

export const locationSchema = z
  .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
  .meta({ example: { lat: 48.8722, lng: 2.3654 } });

export const photoSchema = z.object({
  url: z.url({ protocol: /^https$/ }).max(2048),
  caption: z.string().max(200).nullable(),
});

export const ratingSchema = z.object({
  average: z.number().nullable().meta({ description: "To two decimals; null until the first review" }),
  count: z.int().min(0),
});

/** A listing's rating with its guests' averages by category (cleanliness, accuracy, …). */
export const listingRatingSchema = ratingSchema.extend({
  categories: z
    .object(
      Object.fromEntries(reviewCategories.map((name) => [name, z.number().nullable()])) as Record<
        ReviewCategory,
        z.ZodNullable<z.ZodNumber>
      >,
    )
    .meta({ description: "Average per category, to two decimals; null until the first review" }),
});

export const listingSchema = z
  .object({
    id: z.uuid(),
    hostId: z.uuid(),
    title: z.string().trim().min(1).max(120).meta({ example: "Sunny loft by the canal" }),
    description: z.string().max(5000),
    propertyType: propertyTypeSchema,
    address: addressSchema,
    location: locationSchema,
    timezone: timeZone,
    maxGuests: z.int().min(1).max(50),
    bedrooms: z.int().min(0).max(50),
    beds: z.int().min(0).max(100),
    bathrooms: z.number().min(0).max(50).multipleOf(0.5),
    amenities: z
      .array(amenitySchema)
      .max(amenityNames.length)
      .refine((list) => new Set(list).size === list.length, "Amenities must not repeat"),
    houseRules: z.string().max(5000).nullable(),
    checkInTime: clockTime.meta({ example: "15:00" }),
    checkOutTime: clockTime.meta({ example: "11:00" }),
    nightlyPrice: money
      .min(1)
      .meta({ description: "Minor units of `currency` (cents for EUR)", example: 12_500 }),
    currency: currencyCode,
    cleaningFee: money.meta({ example: 3_000 }),
    minNights: z.int().min(1).max(365),
    maxNights: z.int().min(1).max(1095),
    instantBook: z.boolean(),
    advanceNoticeDays: z.int().min(0).max(30).meta({
      description:
        "How many days before check-in a stay must be booked; 0 allows a stay starting today (the listing's today)",
    }),
    bookingWindowDays: z
      .int()
      .min(30)
      .max(MAX_BOOKING_WINDOW_DAYS)
      .meta({ description: "How many days ahead a stay may start" }),
    weeklyDiscountPercent: z
      .int()
      .min(0)
      .max(90)
      .meta({ description: "Off the nights of a stay of 7 nights or more" }),
    monthlyDiscountPercent: z
      .int()
      .min(0)
      .max(90)
      .meta({ description: "Off the nights of a stay of 28 nights or more, instead of the weekly discount" }),
    cancellationPolicy: cancellationPolicySchema,
    photos: z.array(photoSchema).max(MAX_PHOTOS),
    status: listingStatusSchema,
    rating: listingRatingSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({
    id: "Listing",
    description:
      "A home a host offers: its place, rooms, rules, prices, booking settings, photos and rating.",
  });

export type Listing = z.output<typeof listingSchema>;

/** What the server decides, never the host. */
const serverFields = { id: true, hostId: true, rating: true, createdAt: true, updatedAt: true } as const;
const { shape } = listingSchema;

export const newListingSchema = listingSchema
  .omit(serverFields)
  .extend({
    address: addressSchema.extend({
      region: addressSchema.shape.region.default(null),
      postalCode: addressSchema.shape.postalCode.default(null),
    }),
    amenities: shape.amenities.default([]),
    houseRules: shape.houseRules.default(null),
    cleaningFee: shape.cleaningFee.default(0),
    minNights: shape.minNights.default(1),
    maxNights: shape.maxNights.default(365),
    instantBook: shape.instantBook.default(false),
    advanceNoticeDays: shape.advanceNoticeDays.default(0),
    bookingWindowDays: shape.bookingWindowDays.default(365),
    weeklyDiscountPercent: shape.weeklyDiscountPercent.default(0),
    monthlyDiscountPercent: shape.monthlyDiscountPercent.default(0),
    photos: z
      .array(photoSchema.extend({ caption: photoSchema.shape.caption.default(null) }))
      .max(MAX_PHOTOS)
      .default([]),
    status: shape.status.default("draft"),
  })
  .strict()
  .meta({ id: "NewListing", description: "A listing as its host creates it. Default status: `draft`." });

/** A listing's editable fields, all of them (what a create makes, and what an update merges into). */
export type ListingInput = z.output<typeof newListingSchema>;

export const listingChangesSchema = listingSchema
  .omit(serverFields)
  .partial()
  .extend({
    address: addressSchema.partial().strict().optional(),
    location: locationSchema.partial().strict().optional(),
  })
  .strict()
  .meta({
    id: "ListingChanges",
    description: "Any subset of a listing's fields; `address` and `location` merge.",
  });

export type ListingChanges = z.output<typeof listingChangesSchema>;

/** What a stay found by a dated search costs: the total `bookings.quote` gives for it. */
export const stayTotalSchema = z
  .object({
    nights: z.int().min(1),
    total: z.int().min(0).meta({
      description:
        "Minor units of `currency`: what the guest would pay, every night at its own price, less the discount, plus cleaning, fees and taxes",
      example: 61_380,
    }),
    currency: currencyCode,
  })
  .meta({ id: "StayTotal" });

export type StayTotal = z.output<typeof stayTotalSchema>;

/** A listing as a search shows it. */
export const searchItemSchema = listingSchema
  .pick({
    id: true,
    title: true,
    propertyType: true,
    location: true,
    maxGuests: true,
    bedrooms: true,
    beds: true,
    bathrooms: true,
    nightlyPrice: true,
    currency: true,
    instantBook: true,
  })
  .extend({
    rating: ratingSchema,
    city: addressSchema.shape.city,
    country: countryCode,
    photo: photoSchema.nullable().meta({ description: "The first photo" }),
    distanceKm: z.number().min(0).optional().meta({ description: "From `near`, when the search has it" }),
    stay: stayTotalSchema.optional().meta({ description: "When the search has `checkIn` and `checkOut`" }),
  })
  .meta({
    id: "ListingSummary",
    description: "A listing as a search shows it: enough to draw a card and a map pin.",
  });

export type SearchItem = z.output<typeof searchItemSchema>;
