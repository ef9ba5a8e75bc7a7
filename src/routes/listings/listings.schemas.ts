import { z } from "@hono/zod-openapi";
import { MAX_STAY_NIGHTS } from "../../domain/bookings/vocabulary.ts";
import { countryCode, currencyCode } from "../../domain/listings/codes.ts";
import { amenitySchema, locationSchema, propertyTypeSchema } from "../../domain/listings/listing-schemas.ts";
import { DEFAULT_RADIUS_KM, type SearchInput, searchSorts } from "../../domain/listings/search-input.ts";
import { amenityNames, MAX_BOOKING_WINDOW_DAYS, MAX_PRICE } from "../../domain/listings/vocabulary.ts";
import { cursorQuery } from "../../http/cursor.ts";
import { exampleIds } from "../example-ids.ts";

const { lat: latitude, lng: longitude } = locationSchema.shape;

/** `"1,2,3"` → `[1, 2, 3]`, exactly `count` finite numbers. */
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

const price = (description: string) =>
  z.coerce.number().int().min(0).max(MAX_PRICE).optional().openapi({ description });

const stayDate = (description: string, example: string) =>
  z.iso.date().optional().openapi({ description, example });

export const searchQuerySchema = z
  .object({
    q: z.string().trim().min(2).max(100).optional().openapi({ description: "Free text over title and city" }),
    city: z.string().trim().min(1).max(100).optional().openapi({ description: "With `country`" }),
    country: countryCode.optional(),
    bbox: numberList(4, "swLat,swLng,neLat,neLng")
      .pipe(z.tuple([latitude, longitude, latitude, longitude]))
      .optional()
      .openapi({ type: "string", description: "swLat,swLng,neLat,neLng", example: "48.80,2.25,48.92,2.42" }),
    near: numberList(2, "lat,lng")
      .pipe(z.tuple([latitude, longitude]))
      .optional()
      .openapi({ type: "string", description: "lat,lng", example: "48.8566,2.3522" }),
    radiusKm: z.coerce
      .number()
      .min(0.1)
      .max(100)
      .optional()
      .openapi({ description: `With \`near\`; default ${DEFAULT_RADIUS_KM}` }),
    guests: z.coerce.number().int().min(1).max(50).optional(),
    minPrice: price(
      "The lowest nightly price, in minor units of `currency` (also with dates: not the stay's total)",
    ),
    maxPrice: price(
      "The highest nightly price, in minor units of `currency` (also with dates: not the stay's total)",
    ),
    minRating: z.coerce.number().min(1).max(5).multipleOf(0.01).optional().openapi({
      description: "The lowest average rating (1–5, two decimals); listings without reviews are left out",
      example: 4.5,
    }),
    currency: currencyCode.optional(),
    propertyType: propertyTypeSchema.optional(),
    amenities: z
      .string()
      .max(600)
      .transform((text) => text.split(",").map((a) => a.trim()))
      .pipe(z.array(amenitySchema).max(amenityNames.length))
      .optional()
      .openapi({
        type: "string",
        description: "Comma-separated; listings having all of them",
        example: "wifi,kitchen",
      }),
    instantBook: z.stringbool().optional(),
    checkIn: stayDate(
      "With `checkOut`: only listings free for the whole stay (no booking holds a night, none is blocked) " +
        "whose own rules take it (its nights, advance notice and booking window, on the listing's " +
        "calendar); each item then shows the stay's total. Not in the past, at most " +
        `${MAX_BOOKING_WINDOW_DAYS} days ahead`,
      "2027-03-12",
    ),
    checkOut: stayDate(
      `With \`checkIn\`: the day the guest leaves, 1 to ${MAX_STAY_NIGHTS} nights after \`checkIn\``,
      "2027-03-15",
    ),
    sort: z
      .enum(searchSorts)
      .optional()
      .openapi({
        description:
          "`price_asc` / `price_desc`: by the nightly price (the default without `near`); `newest`: " +
          "newest first; `distance`: nearest first, with `near` (the default with it); `rating`: best " +
          "rated first",
      }),
    limit: z.coerce.number().int().min(1).max(50).default(20),
    cursor: cursorQuery,
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

/** The search a query asks for, in the domain's terms (the cursor decoded separately). */
export function searchInputOf(query: z.output<typeof searchQuerySchema>): Omit<SearchInput, "after"> {
  const { cursor: _cursor, bbox, near, ...filters } = query;
  return {
    ...filters,
    bbox: bbox && { swLat: bbox[0], swLng: bbox[1], neLat: bbox[2], neLng: bbox[3] },
    near: near && { lat: near[0], lng: near[1] },
  };
}

export const listingIdParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: exampleIds.listing }),
});
