import { and, asc, count, eq, inArray, isNotNull } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { calendarDays, calendarImports, listings } from "../../db/schema/index.ts";
import type { Actor, DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { listingNotFound } from "../listings/listing-store.ts";
import { canManage, type ListingRow } from "../listings/listing-view.ts";
import type { CalendarImport } from "./calendar-sync-schemas.ts";

export type ImportRow = typeof calendarImports.$inferSelect;

/**
 * The listing whose calendar sync `actor` manages, locked for the transaction when `lock` is set.
 * Its export URL and imported feeds are its host's (and admins') alone: anyone else is answered as
 * if it did not exist (404), even for a published listing.
 */
export async function listingToManage(
  ctx: DomainContext,
  actor: Actor,
  id: string,
  { lock = false } = {},
): Promise<ListingRow> {
  const query = ctx.db.select().from(listings).where(eq(listings.id, id)).limit(1);
  const [row] = lock ? await query.for("update") : await query;
  if (!row || !canManage(actor, row)) throw listingNotFound();
  return row;
}

export const importNotFound = () =>
  new AppError("NOT_FOUND", "No calendar import with this id on this listing.");

/** An import row as the API shows it, with how many dates it blocks. */
export function toCalendarImport(row: ImportRow, blockedDays: number): CalendarImport {
  return {
    id: row.id,
    listingId: row.listingId,
    url: row.url,
    name: row.name,
    status: row.lastFetchedAt === null ? "pending" : row.failures > 0 ? "failing" : "synced",
    createdAt: row.createdAt.toISOString(),
    lastFetchedAt: row.lastFetchedAt?.toISOString() ?? null,
    lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null,
    nextFetchAt: row.nextFetchAt.toISOString(),
    lastError: row.lastError,
    blockedDays,
    conflicts: row.conflicts,
  };
}

/** How many dates each of `importIds` blocks. */
export async function blockedDayCounts(db: Database, importIds: string[]): Promise<Map<string, number>> {
  if (importIds.length === 0) return new Map();
  const rows = await db
    .select({ importId: calendarDays.importId, days: count() })
    .from(calendarDays)
    .where(and(isNotNull(calendarDays.importId), inArray(calendarDays.importId, importIds)))
    .groupBy(calendarDays.importId);
  return new Map(rows.flatMap((row) => (row.importId ? [[row.importId, row.days]] : [])));
}

/** The listing's imports, oldest first. */
export function importsOf(db: Database, listingId: string): Promise<ImportRow[]> {
  return db
    .select()
    .from(calendarImports)
    .where(eq(calendarImports.listingId, listingId))
    .orderBy(asc(calendarImports.createdAt), asc(calendarImports.id));
}

/** Reads import rows as the API shows them. */
export async function viewsOf(db: Database, rows: ImportRow[]): Promise<CalendarImport[]> {
  const counts = await blockedDayCounts(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toCalendarImport(row, counts.get(row.id) ?? 0));
}
