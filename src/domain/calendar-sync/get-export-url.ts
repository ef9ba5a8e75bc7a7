import { type DomainContext, withTransaction } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { CalendarExport } from "./calendar-sync-schemas.ts";
import { listingToManage } from "./calendar-sync-store.ts";
import { exportUrlOf } from "./export-url.ts";

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
    return exportUrlOf(ctx, listing.id, { origin: input.origin, rotate: false });
  });
}
