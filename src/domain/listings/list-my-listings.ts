import { and, desc, eq } from "drizzle-orm";
import { listings } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import { afterNewestFirst, type NewestFirstPosition, newestFirstPage } from "../pagination.ts";
import { toListing } from "./listing-view.ts";

/** The caller's listings in every status, newest first (keyset on createdAt, id). */
export async function listMyListings({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { limit: number; after?: NewestFirstPosition | undefined };
}) {
  const actor = requireActor(ctx);
  const rows = await ctx.db
    .select()
    .from(listings)
    .where(
      and(eq(listings.hostId, actor.userId), afterNewestFirst(listings.createdAt, listings.id, input.after)),
    )
    .orderBy(desc(listings.createdAt), desc(listings.id))
    .limit(input.limit + 1);
  return newestFirstPage(rows, input.limit, toListing);
}
