import { createRoute, z } from "@hono/zod-openapi";
import {
  listingChangesSchema,
  listingSchema,
  newListingSchema,
  searchItemSchema,
} from "../../domain/listings/listing-schemas.ts";
import { SEARCH_CACHE_TTL_SECONDS } from "../../domain/listings/search-input.ts";
import { cursorQuery, pageSchema } from "../../http/cursor.ts";
import { jsonBody } from "../../http/json.ts";
import { optionalAuth, signedIn } from "../../http/middleware/auth.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import { listingIdParams, searchQuerySchema } from "./listings.schemas.ts";

const listingContent = { "application/json": { schema: listingSchema } };
const header = (description: string) => ({ schema: { type: "string" as const }, description });
const etagHeader = { ETag: header("The listing's version") };
const readHeaders = {
  ...etagHeader,
  "Cache-Control": header("`public, max-age=30` for anyone; `private, no-cache` for a signed-in reader"),
};
const notFound = { 404: problemResponseFor("No such listing, or not yours to see") };

/** A complete, valid listing: the documented example, and the tests' default. */
export const listingExample: z.input<typeof newListingSchema> = {
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

export const createListing = createRoute({
  method: "post",
  path: "/listings",
  operationId: "listings.create",
  tags: ["Listings"],
  summary: "Create a listing",
  description: "Any signed-in user; publishing a first listing makes them a host. Default status: `draft`.",
  ...signedIn,
  request: {
    body: jsonBody(newListingSchema, listingExample),
  },
  responses: {
    201: {
      description: "Created",
      headers: { ...etagHeader, Location: header("The new listing's URL") },
      content: listingContent,
    },
    ...authResponses,
    ...errorResponses,
  },
});

export const getListing = createRoute({
  method: "get",
  path: "/listings/{id}",
  operationId: "listings.get",
  tags: ["Listings"],
  summary: "A listing",
  description:
    "Published listings for anyone; drafts and unlisted ones only for their host and admins (404 for others). " +
    "Send `If-None-Match` with the ETag to get 304 when unchanged. A token is optional here.",
  // Either no token or a valid one (`{}` is OpenAPI's "no authentication").
  security: [{} as Record<string, string[]>, { bearerAuth: [] }],
  middleware: [optionalAuth],
  request: { params: listingIdParams },
  responses: {
    200: { description: "The listing", headers: readHeaders, content: listingContent },
    304: { description: "Not modified since the ETag in If-None-Match", headers: readHeaders },
    ...notFound,
    401: authResponses[401],
    ...errorResponses,
  },
});

export const updateListing = createRoute({
  method: "patch",
  path: "/listings/{id}",
  operationId: "listings.update",
  tags: ["Listings"],
  summary: "Change a listing",
  description: "Host or admin. With `If-Match` (the ETag you read), a listing changed since answers 412.",
  ...signedIn,
  request: {
    params: listingIdParams,
    headers: z.object({ "if-match": z.string().max(64).optional() }),
    body: jsonBody(listingChangesSchema, { nightlyPrice: 13900 }),
  },
  responses: {
    200: { description: "The updated listing", headers: etagHeader, content: listingContent },
    ...authResponses,
    ...notFound,
    409: problemResponseFor("A published listing with upcoming stays cannot leave `published`"),
    412: problemResponseFor("The listing changed since the ETag in If-Match"),
    ...errorResponses,
  },
});

export const deleteListing = createRoute({
  method: "delete",
  path: "/listings/{id}",
  operationId: "listings.delete",
  tags: ["Listings"],
  summary: "Unlist a listing",
  description:
    "Host or admin. The listing leaves search and public reads; its history is kept. " +
    "Refused (409) while stays are upcoming.",
  ...signedIn,
  request: { params: listingIdParams },
  responses: {
    204: { description: "Unlisted" },
    ...authResponses,
    ...notFound,
    409: problemResponseFor("The listing has upcoming stays"),
    ...errorResponses,
  },
});

export const listMine = createRoute({
  method: "get",
  path: "/users/me/listings",
  operationId: "listings.listMine",
  tags: ["Listings"],
  summary: "Your listings, in every status, newest first",
  description: "Drafts, published and unlisted alike, with keyset cursors. For the signed-in host only.",
  ...signedIn,
  request: {
    query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(20), cursor: cursorQuery }),
  },
  responses: {
    200: {
      description: "A page of listings",
      content: {
        "application/json": {
          schema: pageSchema(listingSchema, "ListingPage"),
        },
      },
    },
    ...authResponses,
    ...errorResponses,
  },
});

export const searchListings = createRoute({
  method: "get",
  path: "/listings",
  operationId: "listings.search",
  tags: ["Listings"],
  summary: "Search published listings",
  description:
    "Place by `city`+`country`, `bbox`, or `near`+`radiusKm`; filters combine. Keyset pagination: pass `nextCursor` " +
    `back as \`cursor\` with the same filters. Answers may be up to ${SEARCH_CACHE_TTL_SECONDS} s old, ` +
    "except dated ones (`checkIn`+`checkOut`), which show the calendars as they are.",
  security: [],
  request: { query: searchQuerySchema },
  responses: {
    200: {
      description: "A page of listings",
      headers: {
        "Cache-Control": header(
          `How long the page may be reused: ${SEARCH_CACHE_TTL_SECONDS} s, or \`no-cache\` for a dated search`,
        ),
      },
      content: {
        "application/json": {
          schema: pageSchema(searchItemSchema, "ListingSearchPage"),
        },
      },
    },
    ...errorResponses,
  },
});
