import { inArray } from "drizzle-orm";
import { listings } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { Listing } from "./listing-schemas.ts";
import { canSee, toListing } from "./listing-view.ts";

/**
 * `getListing` of several listings at once: one statement whatever their number, instead of a cache
 * read each. Ids of listings the caller may not see, or of none, are left out.
 */
export async function getListings({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { ids: readonly string[] };
}): Promise<Listing[]> {
  if (input.ids.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(listings)
    .where(inArray(listings.id, [...input.ids]));
  return rows.filter((row) => canSee(ctx.actor, row)).map(toListing);
}
