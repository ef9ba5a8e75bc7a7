import { listings } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { VersionedListing } from "./get-listing.ts";
import { checkListing } from "./listing-rules.ts";
import type { ListingInput } from "./listing-schemas.ts";
import { markHost } from "./listing-store.ts";
import { listingColumns, toListing } from "./listing-view.ts";

/** Any signed-in user may list a home; publishing a first listing makes them a host. */
export async function createListing({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: ListingInput;
}): Promise<VersionedListing> {
  const actor = requireActor(ctx);
  checkListing(input);
  const now = ctx.deps.clock.now();
  const row = await withTransaction(ctx, async (ctx) => {
    const [inserted] = await ctx.db
      .insert(listings)
      .values({
        ...listingColumns(input),
        id: ctx.deps.ids.next(),
        hostId: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!inserted) throw new Error("insert returned no row");
    await markHost(ctx, inserted);
    return inserted;
  });
  return { listing: toListing(row), version: row.version };
}
