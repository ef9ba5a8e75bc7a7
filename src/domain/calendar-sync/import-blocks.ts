import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { calendarDays } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";

/**
 * Writes of the blocks an import owns (`calendar_days.import_id`). Callers hold the listing's row
 * lock, as every writer of calendar_days and bookings does.
 */

/**
 * Opens the import's blocked `days` (all of them without `days`): a row that only blocked goes, a
 * priced one stays at its price.
 */
export async function releaseDays(ctx: DomainContext, importId: string, days?: string[]): Promise<void> {
  if (days?.length === 0) return;
  const owned = and(eq(calendarDays.importId, importId), days ? inArray(calendarDays.day, days) : undefined);
  await ctx.db.delete(calendarDays).where(and(owned, isNull(calendarDays.price)));
  await ctx.db
    .update(calendarDays)
    .set({ blocked: false, importId: null })
    .where(and(owned, isNotNull(calendarDays.price)));
}

/**
 * Blocks `days` of the listing for the import. A date with a row already (a price the host set)
 * is blocked in place, unless someone blocked it meanwhile: then it is left as it is.
 */
export async function blockDays(
  ctx: DomainContext,
  listingId: string,
  importId: string,
  days: string[],
): Promise<void> {
  if (days.length === 0) return;
  await ctx.db
    .insert(calendarDays)
    .values(days.map((day) => ({ listingId, day, blocked: true, importId })))
    .onConflictDoUpdate({
      target: [calendarDays.listingId, calendarDays.day],
      set: { blocked: true, importId: sql`excluded.import_id` },
      setWhere: sql`${calendarDays.blocked} = false`,
    });
}
