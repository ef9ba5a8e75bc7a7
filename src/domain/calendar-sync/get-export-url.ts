import { calendarExports } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import { opaqueToken } from "../identity/tokens.ts";
import type { CalendarExport } from "./calendar-sync-schemas.ts";
import { listingToManage } from "./calendar-sync-store.ts";
import { publicBase, readExport } from "./export-url.ts";

/**
 * The secret URL of a listing's iCalendar feed, for its host or an admin (404 for anyone else).
 * The first read makes it; later reads show the same URL until it is rotated.
 */
export async function getExportUrl({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; origin: string };
}): Promise<CalendarExport> {
  const actor = requireActor(ctx);
  return withTransaction(ctx, async (ctx) => {
    const listing = await listingToManage(ctx, actor, input.id);
    await ctx.db
      .insert(calendarExports)
      .values({ listingId: listing.id, token: opaqueToken(), createdAt: ctx.deps.clock.now() })
      .onConflictDoNothing();
    return readExport(ctx, listing.id, publicBase(ctx, input.origin));
  });
}
