import { eq } from "drizzle-orm";
import { listings } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { VersionedListing } from "./get-listing.ts";
import { refuseUnlistingWithStays } from "./keep-promises.ts";
import { checkListing, listingCacheKey } from "./listing-rules.ts";
import type { ListingChanges, ListingInput } from "./listing-schemas.ts";
import { listingNotFound, lockListingToManage, markHost } from "./listing-store.ts";
import { inputOf, listingColumns, toListing } from "./listing-view.ts";

/**
 * Host or admin. `ifMatch` (the version the client last saw) makes the update conditional: a
 * listing changed since answers 412 and is left alone.
 */
export async function updateListing({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; changes: ListingChanges; ifMatch?: number | undefined };
}): Promise<VersionedListing> {
  const actor = requireActor(ctx);
  const row = await withTransaction(ctx, async (ctx) => {
    const current = await lockListingToManage(ctx, actor, input.id);
    if (input.ifMatch !== undefined && input.ifMatch !== current.version) {
      throw new AppError(
        "PRECONDITION_FAILED",
        "The listing changed since you read it. Fetch it again, then retry.",
      );
    }
    const before = inputOf(toListing(current));
    const { address, location, ...rest } = input.changes;
    const merged: ListingInput = {
      ...before,
      ...rest,
      address: { ...before.address, ...address },
      location: { ...before.location, ...location },
    };
    checkListing(merged);
    if (current.status === "published" && merged.status !== "published") {
      await refuseUnlistingWithStays(ctx, current);
    }
    const [updated] = await ctx.db
      .update(listings)
      .set({ ...listingColumns(merged), version: current.version + 1, updatedAt: ctx.deps.clock.now() })
      .where(eq(listings.id, current.id))
      .returning();
    if (!updated) throw listingNotFound();
    await markHost(ctx, updated);
    return updated;
  });
  // After the commit, so a reader cannot refill the cache with the old row in between.
  await ctx.deps.cache.delete(listingCacheKey(row.id));
  return { listing: toListing(row), version: row.version };
}
