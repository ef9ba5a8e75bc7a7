import type { DomainContext } from "../context.ts";
import { LISTING_CACHE_TTL_SECONDS, listingCacheKey } from "./listing-rules.ts";
import type { Listing } from "./listing-schemas.ts";
import { findListing, listingNotFound } from "./listing-store.ts";
import { canManage, toListing } from "./listing-view.ts";

/** A listing with its version, which is its ETag. */
export interface VersionedListing {
  listing: Listing;
  version: number;
}

/**
 * Published listings for anyone (cache-aside through the cache port); drafts and unlisted ones
 * only for their host and admins, who always read the database so they never see their own
 * change late.
 */
export async function getListing({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string };
}): Promise<VersionedListing> {
  const key = listingCacheKey(input.id);
  if (!ctx.actor) {
    const cached = await ctx.deps.cache.get<VersionedListing>(key);
    if (cached) return cached;
  }
  const row = await findListing(ctx.db, input.id);
  if (!row || (row.status !== "published" && !canManage(ctx.actor, row))) throw listingNotFound();
  const found = { listing: toListing(row), version: row.version };
  if (row.status === "published") await ctx.deps.cache.set(key, found, LISTING_CACHE_TTL_SECONDS);
  return found;
}
