import { eq } from "drizzle-orm";
import { listings } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import { refuseUnlistingWithStays } from "./keep-promises.ts";
import { listingCacheKey } from "./listing-rules.ts";
import { lockListingToManage } from "./listing-store.ts";

/**
 * "Deleting" unlists: the listing leaves search and public reads, its history stays for bookings
 * and reviews. Refused (409) while stays are upcoming.
 */
export async function deleteListing({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string };
}): Promise<void> {
  const actor = requireActor(ctx);
  await withTransaction(ctx, async (ctx) => {
    const current = await lockListingToManage(ctx, actor, input.id);
    if (current.status === "published") await refuseUnlistingWithStays(ctx, current);
    await ctx.db
      .update(listings)
      .set({ status: "unlisted", version: current.version + 1, updatedAt: ctx.deps.clock.now() })
      .where(eq(listings.id, current.id));
  });
  await ctx.deps.cache.delete(listingCacheKey(input.id));
}
