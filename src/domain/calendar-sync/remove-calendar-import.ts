import { and, eq } from "drizzle-orm";
import { calendarImports } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import { importNotFound, listingToManage } from "./calendar-sync-store.ts";
import { releaseDays } from "./import-blocks.ts";

/**
 * Stops importing a calendar: the dates it blocked open again (keeping any price the host set on
 * them), in the same transaction. The host's own blocks stay. Host or admin; 404 for anyone else.
 */
export async function removeCalendarImport({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; importId: string };
}): Promise<void> {
  const actor = requireActor(ctx);
  await withTransaction(ctx, async (ctx) => {
    const listing = await listingToManage(ctx, actor, input.id, { lock: true });
    const [row] = await ctx.db
      .select({ id: calendarImports.id })
      .from(calendarImports)
      .where(and(eq(calendarImports.id, input.importId), eq(calendarImports.listingId, listing.id)));
    if (!row) throw importNotFound();
    await releaseDays(ctx, row.id);
    await ctx.db.delete(calendarImports).where(eq(calendarImports.id, row.id));
  });
}
