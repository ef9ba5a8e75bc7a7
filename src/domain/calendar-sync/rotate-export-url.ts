import { type DomainContext, withTransaction } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { CalendarExport } from "./calendar-sync-schemas.ts";
import { listingToManage } from "./calendar-sync-store.ts";
import { exportUrlOf } from "./export-url.ts";

/**
 * A new secret for the listing's feed: the new URL works at once and the old one stops working at
 * once (404). Host or admin; 404 for anyone else.
 */
export async function rotateExportUrl({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; origin: string };
}): Promise<CalendarExport> {
  const actor = requireActor(ctx);
  return withTransaction(ctx, async (ctx) => {
    const listing = await listingToManage(ctx, actor, input.id);
    return exportUrlOf(ctx, listing.id, { origin: input.origin, rotate: true });
  });
}
