import type { DomainContext } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { CalendarImport } from "./calendar-sync-schemas.ts";
import { importsOf, listingToManage, viewsOf } from "./calendar-sync-store.ts";

/** A listing's imported calendars, oldest first, with their state and conflicts: host or admin, else 404. */
export async function listCalendarImports({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string };
}): Promise<{ items: CalendarImport[] }> {
  const actor = requireActor(ctx);
  const listing = await listingToManage(ctx, actor, input.id);
  return { items: await viewsOf(ctx.db, await importsOf(ctx.db, listing.id)) };
}
