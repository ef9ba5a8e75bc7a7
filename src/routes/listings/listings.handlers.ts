import type { RouteHandler } from "@hono/zod-openapi";
import { AppError } from "../../domain/errors.ts";
import { createListing } from "../../domain/listings/create-listing.ts";
import { deleteListing } from "../../domain/listings/delete-listing.ts";
import { getListing } from "../../domain/listings/get-listing.ts";
import { listMyListings } from "../../domain/listings/list-my-listings.ts";
import { SEARCH_CACHE_TTL_SECONDS, searchPositionSchema } from "../../domain/listings/search-input.ts";
import { searchListings } from "../../domain/listings/search-listings.ts";
import { updateListing } from "../../domain/listings/update-listing.ts";
import { domainContext } from "../../http/context.ts";
import { decodeCursor, decodeNewestFirst, encodeCursor, encodeNewestFirst } from "../../http/cursor.ts";
import { plainJson } from "../../http/headers.ts";
import type { AppEnv } from "../../http/types.ts";
import type * as routes from "./listings.routes.ts";
import { searchInputOf } from "./listings.schemas.ts";

const etag = (version: number) => `"${version}"`;

/** `"7"` → 7; a weak or list form is compared the same way (RFC 9110 §13.1.1 allows weak for If-None-Match). */
function parseEtag(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  return match?.[1] ? Number(match[1]) : Number.NaN;
}

export const createListingHandler: RouteHandler<typeof routes.createListing, AppEnv> = async (c) => {
  const { listing, version } = await createListing({ ctx: domainContext(c), input: c.req.valid("json") });
  return c.json(listing, 201, { ETag: etag(version), Location: `/v1/listings/${listing.id}` });
};

export const getListingHandler: RouteHandler<typeof routes.getListing, AppEnv> = async (c) => {
  const { listing, version } = await getListing({ ctx: domainContext(c), input: c.req.valid("param") });
  const headers = {
    ETag: etag(version),
    // Public copies may be reused briefly; what a signed-in host reads is never cached.
    "Cache-Control": c.get("actor") ? "private, no-cache" : "public, max-age=30",
  };
  const seen = c.req.header("if-none-match");
  if (seen?.split(",").some((tag) => parseEtag(tag) === version)) return c.body(null, 304, headers);
  return plainJson(c, listing, 200, headers);
};

export const updateListingHandler: RouteHandler<typeof routes.updateListing, AppEnv> = async (c) => {
  const ifMatch = parseEtag(c.req.valid("header")["if-match"]);
  if (Number.isNaN(ifMatch)) {
    throw new AppError("PRECONDITION_FAILED", "If-Match does not name a version of this listing.");
  }
  const { listing, version } = await updateListing({
    ctx: domainContext(c),
    input: { ...c.req.valid("param"), changes: c.req.valid("json"), ifMatch },
  });
  return c.json(listing, 200, { ETag: etag(version) });
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

export const searchListingsHandler: RouteHandler<typeof routes.searchListings, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const after = query.cursor ? decodeCursor(query.cursor, searchPositionSchema) : undefined;
  const page = await searchListings({ ctx: domainContext(c), input: { ...searchInputOf(query), after } });
  // A dated page says what the calendars hold now: never reused without asking again.
  const dated = query.checkIn !== undefined || query.checkOut !== undefined;
  return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null }, 200, {
    "Cache-Control": dated ? "no-cache" : `public, max-age=${SEARCH_CACHE_TTL_SECONDS}`,
  });
};
