import { z } from "@hono/zod-openapi";
import { amenityNames, cancellationPolicies, listingStatuses, propertyTypes } from "../../db/schema/index.ts";
import { searchSorts } from "../../domain/listings/search-listings.ts";

const MAX_PRICE = 10_000_000; // minor units: 100,000.00 in a two-decimal currency

// CLDR names these too, but they are not countries.
const notCountries = new Set(["EU", "EZ", "UN", "QO", "ZZ"]);
/** Every ISO 3166-1 alpha-2 code the runtime's CLDR knows, worked out once (it is on the search path). */
const countryCodes = (() => {
  const names = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const codes = new Set<string>();
  for (const a of letters) {
    for (const b of letters) {
      const code = a + b;
      if (!notCountries.has(code) && names.of(code) !== undefined) codes.add(code);
    }
  }
  return codes;
})();
const currencies = new Set(Intl.supportedValuesOf("currency"));

export const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, "Use an ISO 3166-1 alpha-2 code, e.g. FR")
  .refine((code) => countryCodes.has(code), "Unknown country code")
  .openapi({ example: "FR" });

const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, "Use an ISO 4217 code, e.g. EUR")
  .refine((code) => currencies.has(code), "Unknown currency code")
  .openapi({ example: "EUR" });

const timezone = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "Unknown IANA time zone")
  .openapi({ example: "Europe/Paris" });

const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use 24-hour HH:MM")
  .openapi({ example: "15:00" });
const money = (max = MAX_PRICE) => z.number().int().min(0).max(max);
const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);

const addressSchema = z.object({
  line1: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).nullable().optional(),
  postalCode: z.string().trim().max(20).nullable().optional(),
  country: countryCode,
});

const photoSchema = z.object({
  url: z.url({ protocol: /^https$/ }).max(2048),
  caption: z.string().max(200).nullable().default(null),
});

const fields = {
  title: z.string().trim().min(1).max(120).openapi({ example: "Sunny loft by the canal" }),
  description: z.string().max(5000).openapi({ example: "Two bright rooms, five minutes from the station." }),
  propertyType: z.enum(propertyTypes),
  address: addressSchema,
  location: z.object({ lat: latitude, lng: longitude }).openapi({ example: { lat: 48.8722, lng: 2.3654 } }),
  timezone,
  maxGuests: z.number().int().min(1).max(50),
  bedrooms: z.number().int().min(0).max(50),
  beds: z.number().int().min(0).max(100),
  bathrooms: z.number().min(0).max(50).multipleOf(0.5),
  amenities: z
    .array(z.enum(amenityNames))
    .max(amenityNames.length)
    .refine((list) => new Set(list).size === list.length, "Amenities must not repeat"),
  houseRules: z.string().max(5000).nullable(),
  checkInTime: clockTime,
  checkOutTime: clockTime.openapi({ example: "11:00" }),
  nightlyPrice: money()
    .min(1)
    .openapi({ description: "Minor units of `currency` (cents for EUR)", example: 12_500 }),
  currency: currencyCode,
  cleaningFee: money().openapi({ example: 3_000 }),
  minNights: z.number().int().min(1).max(365),
  maxNights: z.number().int().min(1).max(1095),
  instantBook: z.boolean(),
  cancellationPolicy: z.enum(cancellationPolicies),
  photos: z.array(photoSchema).max(50),
  status: z.enum(listingStatuses),
};

export const createListingSchema = z
  .object({
    ...fields,
    amenities: fields.amenities.default([]),
    houseRules: fields.houseRules.optional(),
    cleaningFee: fields.cleaningFee.default(0),
    minNights: fields.minNights.default(1),
    maxNights: fields.maxNights.default(365),
    instantBook: fields.instantBook.default(false),
    photos: fields.photos.default([]),
    status: fields.status.default("draft"),
  })
  .strict()
  .openapi("NewListing");

export const listingChangesSchema = z
  .object(fields)
  .partial()
  .extend({
    address: addressSchema.partial().strict().optional(),
    location: z.object({ lat: latitude, lng: longitude }).partial().strict().optional(),
  })
  .strict()
  .openapi("ListingChanges", {
    description: "Any subset of a listing's fields; `address` and `location` merge.",
  });

export const listingSchema = z
  .object({
    id: z.string(),
    hostId: z.string(),
    ...fields,
    address: addressSchema.extend({ region: z.string().nullable(), postalCode: z.string().nullable() }),
    photos: z.array(z.object({ url: z.string(), caption: z.string().nullable() })),
    rating: z.object({ average: z.number().nullable(), count: z.number().int() }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Listing");

export const listingSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    propertyType: z.enum(propertyTypes),
    city: z.string(),
    country: z.string(),
    location: z.object({ lat: z.number(), lng: z.number() }),
    maxGuests: z.number().int(),
    bedrooms: z.number().int(),
    beds: z.number().int(),
    bathrooms: z.number(),
    nightlyPrice: z.number().int(),
    currency: z.string(),
    instantBook: z.boolean(),
    rating: z.object({ average: z.number().nullable(), count: z.number().int() }),
    photo: z.object({ url: z.string(), caption: z.string().nullable() }).nullable(),
    distanceKm: z.number().optional().openapi({ description: "With `near`" }),
  })
  .openapi("ListingSummary");

const numberList = (count: number, name: string) =>
  z
    .string()
    .max(100)
    .transform((text, ctx) => {
      const parts = text.split(",").map((p) => Number(p.trim()));
      if (parts.length !== count || parts.some((n) => !Number.isFinite(n))) {
        ctx.addIssue({ code: "custom", message: `Expected ${count} comma-separated numbers (${name})` });
        return z.NEVER;
      }
      return parts;
    });

export const searchQuerySchema = z
  .object({
    q: z.string().trim().min(2).max(100).optional().openapi({ description: "Free text over title and city" }),
    city: z.string().trim().min(1).max(100).optional(),
    country: countryCode.optional(),
    bbox: numberList(4, "swLat,swLng,neLat,neLng")
      .pipe(z.tuple([latitude, longitude, latitude, longitude]))
      .optional()
      .openapi({ type: "string", example: "48.80,2.25,48.92,2.42" }),
    near: numberList(2, "lat,lng")
      .pipe(z.tuple([latitude, longitude]))
      .optional()
      .openapi({ type: "string", example: "48.8566,2.3522" }),
    radiusKm: z.coerce
      .number()
      .min(0.1)
      .max(100)
      .optional()
      .openapi({ description: "With `near`; default 10" }),
    guests: z.coerce.number().int().min(1).max(50).optional(),
    minPrice: z.coerce.number().int().min(0).max(MAX_PRICE).optional(),
    maxPrice: z.coerce.number().int().min(0).max(MAX_PRICE).optional(),
    currency: currencyCode.optional(),
    propertyType: z.enum(propertyTypes).optional(),
    amenities: z
      .string()
      .max(600)
      .transform((text) => text.split(",").map((a) => a.trim()))
      .pipe(z.array(z.enum(amenityNames)).max(amenityNames.length))
      .optional()
      .openapi({
        type: "string",
        description: "Comma-separated; listings having all of them",
        example: "wifi,kitchen",
      }),
    instantBook: z.stringbool().optional(),
    sort: z
      .enum(searchSorts)
      .optional()
      .openapi({ description: "Default `distance` with `near`, else `price_asc`" }),
    limit: z.coerce.number().int().min(1).max(50).default(20),
    cursor: z.string().max(512).optional().openapi({ description: "`nextCursor` of the previous page" }),
  })
  .superRefine((query, ctx) => {
    if (query.city && !query.country) {
      ctx.addIssue({ code: "custom", path: ["country"], message: "A city search needs its country" });
    }
    if (query.radiusKm !== undefined && !query.near) {
      ctx.addIssue({ code: "custom", path: ["radiusKm"], message: "radiusKm needs near=lat,lng" });
    }
    if (query.bbox && query.near) {
      ctx.addIssue({ code: "custom", path: ["bbox"], message: "Use either bbox or near, not both" });
    }
    if (query.bbox && query.bbox[0] > query.bbox[2]) {
      ctx.addIssue({ code: "custom", path: ["bbox"], message: "swLat must not be north of neLat" });
    }
    if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
      ctx.addIssue({ code: "custom", path: ["minPrice"], message: "minPrice must not exceed maxPrice" });
    }
  });

export const listingIdParams = z.object({
  id: z
    .uuid()
    .openapi({ param: { name: "id", in: "path" }, example: "019ad6f4-6a3c-7c41-9a55-0f7e5b1c2d3e" }),
});
