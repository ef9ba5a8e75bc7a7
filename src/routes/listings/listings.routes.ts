import { createRoute, z } from "@hono/zod-openapi";
import {
  listingChangesSchema,
  listingSchema,
  newListingSchema,
  searchItemSchema,
} from "../../domain/listings/listing-schemas.ts";
import { SEARCH_CACHE_TTL_SECONDS } from "../../domain/listings/search-input.ts";
import { cursorQuery, pageSchema } from "../../http/cursor.ts";
import { jsonBody, jsonContent } from "../../http/json.ts";
import { optionalAuth, signedIn } from "../../http/middleware/auth.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import {
  createdListingExample,
  listingExample as listingAnswerExample,
  listingPageExample,
  newListingExample,
  searchPageExample,
  updatedListingExample,
} from "./listings.examples.ts";
import { listingIdParams, searchQuerySchema } from "./listings.schemas.ts";

const header = (description: string) => ({ schema: { type: "string" as const }, description });
const etagHeader = { ETag: header("The listing's version") };
const readHeaders = {
  ...etagHeader,
  "Cache-Control": header("`public, max-age=30` for anyone; `private, no-cache` for a signed-in reader"),
};
const notFound = {
  404: problemResponseFor("No such listing, or not yours to see", { NOT_FOUND: "No listing with this id." }),
};
/** A signed-in caller who neither hosts the listing nor is an admin. */
const notTheHost = {
  403: problemResponseFor("Signed in, but not allowed", {
    FORBIDDEN: "Only the host or an admin may change this listing.",
  }),
};
/** The 409 of a published listing with stays to come, `status` located as the route locates it. */
const upcomingStays = (location?: string) => {
  const field = { field: "status", message: "Cannot leave published while stays are upcoming" };
  return {
    CONFLICT: {
      detail: "The listing has upcoming stays: cancel them before unlisting it.",
      errors: [location ? { ...field, location } : field],
    },
  };
};

/** The create body's example, and the tests' default listing (test/support imports it from here). */
export const listingExample = newListingExample;

export const createListing = createRoute({
  method: "post",
  path: "/listings",
  operationId: "listings.create",
  tags: ["Listings"],
  summary: "Create a listing",
  description: "Any signed-in user; publishing a first listing makes them a host. Default status: `draft`.",
  ...signedIn,
  request: {
    body: jsonBody(newListingSchema, newListingExample),
  },
  responses: {
    201: {
      description: "Created",
      headers: { ...etagHeader, Location: header("The new listing's URL") },
      content: jsonContent(listingSchema, createdListingExample),
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
    200: {
      description: "The listing",
      headers: readHeaders,
      content: jsonContent(listingSchema, listingAnswerExample),
    },
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
    200: {
      description: "The updated listing",
      headers: etagHeader,
      content: jsonContent(listingSchema, updatedListingExample),
    },
    ...authResponses,
    ...notTheHost,
    ...notFound,
    409: problemResponseFor(
      "A published listing with upcoming stays cannot leave `published`",
      upcomingStays("body.status"),
    ),
    412: problemResponseFor("The listing changed since the ETag in If-Match", {
      PRECONDITION_FAILED: "The listing changed since you read it. Fetch it again, then retry.",
    }),
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
    ...notTheHost,
    ...notFound,
    409: problemResponseFor("The listing has upcoming stays", upcomingStays()),
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
      content: jsonContent(pageSchema(listingSchema, "ListingPage"), listingPageExample),
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
      content: jsonContent(pageSchema(searchItemSchema, "ListingSearchPage"), searchPageExample),
    },
    ...errorResponses,
  },
});
