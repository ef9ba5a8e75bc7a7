import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { TypedResponse } from "hono";
import { AppError } from "../../domain/errors.ts";
import type { Listing } from "../../domain/listings/listing-view.ts";
import {
  createListing,
  deleteListing,
  getListing,
  listMyListings,
  updateListing,
} from "../../domain/listings/manage-listing.ts";
import {
  SEARCH_CACHE_TTL_SECONDS,
  type SearchItem,
  searchCacheKey,
  searchListings,
  searchSorts,
} from "../../domain/listings/search-listings.ts";
import { domainContext } from "../../http/context.ts";
import { decodeCursor, decodeNewestFirst, encodeCursor, encodeNewestFirst } from "../../http/cursor.ts";
import { plainResponse } from "../../http/headers.ts";
import { jsonText } from "../../http/json.ts";
import type { AppEnv } from "../../http/types.ts";
import type * as routes from "./listings.routes.ts";

const etag = (version: number) => `"${version}"`;

/** `"7"` → 7; a weak or list form is compared the same way (RFC 9110 §13.1.1 allows weak for If-None-Match). */
function parseEtag(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  return match?.[1] ? Number(match[1]) : Number.NaN;
}

export const createListingHandler: RouteHandler<typeof routes.createListing, AppEnv> = async (c) => {
  const { listing, version } = await createListing({ ctx: domainContext(c), input: c.req.valid("json") });
  c.header("ETag", etag(version));
  c.header("Location", `/v1/listings/${listing.id}`);
  return c.json(listing, 201);
};

export const getListingHandler: RouteHandler<typeof routes.getListing, AppEnv> = async (c) => {
  const { listing, version } = await getListing({ ctx: domainContext(c), input: c.req.valid("param") });
  const headers = {
    etag: etag(version),
    // Public copies may be reused briefly; what a signed-in host reads is never cached.
    "cache-control": c.get("actor") ? "private, no-cache" : "public, max-age=30",
  };
  const seen = c.req.header("if-none-match");
  if (seen?.split(",").some((tag) => parseEtag(tag) === version)) {
    return plainResponse(c, null, 304, headers) as Response & TypedResponse<null, 304>;
  }
  return jsonText<Listing, 200>(c, serialised(listing), 200, headers);
};

// The in-process cache hands out the same object on every hit: serialise it once.
const serialisedCopies = new WeakMap<object, string>();
function serialised(listing: Listing): string {
  let json = serialisedCopies.get(listing);
  if (json === undefined) {
    json = JSON.stringify(listing);
    serialisedCopies.set(listing, json);
  }
  return json;
}

export const updateListingHandler: RouteHandler<typeof routes.updateListing, AppEnv> = async (c) => {
  const ifMatch = parseEtag(c.req.valid("header")["if-match"]);
  if (Number.isNaN(ifMatch)) {
    throw new AppError("PRECONDITION_FAILED", "If-Match does not name a version of this listing.");
  }
  const { listing, version } = await updateListing({
    ctx: domainContext(c),
    input: { ...c.req.valid("param"), changes: c.req.valid("json"), ifMatch },
  });
  c.header("ETag", etag(version));
  return c.json(listing, 200);
};

export const deleteListingHandler: RouteHandler<typeof routes.deleteListing, AppEnv> = async (c) => {
  await deleteListing({ ctx: domainContext(c), input: c.req.valid("param") });
  return c.body(null, 204);
};

export const listMineHandler: RouteHandler<typeof routes.listMine, AppEnv> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const page = await listMyListings({
    ctx: domainContext(c),
    input: { limit, after: decodeNewestFirst(cursor) },
  });
  return c.json({ items: page.items, nextCursor: encodeNewestFirst(page.next) }, 200);
};

type SearchPage = { items: SearchItem[]; nextCursor: string | null };

const searchCursor = z.object({
  s: z.enum(searchSorts),
  k: z.union([z.number(), z.iso.datetime()]),
  i: z.string().max(64),
});

export const searchListingsHandler: RouteHandler<typeof routes.searchListings, AppEnv> = async (c) => {
  const { cursor, bbox, near, ...filters } = c.req.valid("query");
  const position = cursor ? decodeCursor(cursor, searchCursor) : undefined;
  const sort = filters.sort ?? (near ? "distance" : "price_asc");
  if (position && position.s !== sort) {
    throw new AppError("VALIDATION_FAILED", "The cursor belongs to another sort order.", {
      errors: [{ location: "query.cursor", message: "Cursor and sort do not match" }],
    });
  }
  const ctx = domainContext(c);
  const input = {
    ...filters,
    sort,
    bbox: bbox && { swLat: bbox[0], swLng: bbox[1], neLat: bbox[2], neLng: bbox[3] },
    near: near && { lat: near[0], lng: near[1] },
    after: position && { key: position.k, id: position.i },
  };
  // Answers are cached as their JSON text: a hit is sent as it is, and thousands of cached pages
  // weigh on the garbage collector as one string each, not as thousands of small objects.
  const key = searchCacheKey(input);
  let body = await ctx.deps.cache.get<string>(key);
  if (body === undefined) {
    const result = await searchListings({ ctx, input });
    const nextCursor = result.next
      ? encodeCursor({ s: result.next.sort, k: result.next.key, i: result.next.id })
      : null;
    // The items are JSON texts already (see searchListings): joined, not parsed and serialised again.
    body = `{"items":[${result.items.join(",")}],"nextCursor":${JSON.stringify(nextCursor)}}`;
    await ctx.deps.cache.set(key, body, SEARCH_CACHE_TTL_SECONDS);
  }
  return jsonText<SearchPage, 200>(c, body, 200, {
    "cache-control": `public, max-age=${SEARCH_CACHE_TTL_SECONDS}`,
  });
};
