import { eq, sql } from "drizzle-orm";
import { calendarExports } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { opaqueToken } from "../identity/tokens.ts";
import type { CalendarExport } from "./calendar-sync-schemas.ts";

/**
 * Where the API is reached from outside: PUBLIC_URL when set, else the origin the request came to.
 * Feed URLs are handed to other sites, so they must be absolute.
 */
export function publicBase(ctx: DomainContext, origin: string): string {
  return (ctx.deps.config.PUBLIC_URL ?? origin).replace(/\/+$/, "");
}

/** The feed URL of `listingId` with its secret. */
export function feedUrl(base: string, listingId: string, token: string): string {
  return `${base}/v1/listings/${listingId}/calendar.ics?token=${token}`;
}

/**
 * The listing's feed URL, its secret made first if it has none, or replaced by a new one when
 * `rotate` is set (the old one answers 404 from the commit on).
 */
export async function exportUrlOf(
  ctx: DomainContext,
  listingId: string,
  { origin, rotate }: { origin: string; rotate: boolean },
): Promise<CalendarExport> {
  const insert = ctx.db
    .insert(calendarExports)
    .values({ listingId, token: opaqueToken(), createdAt: ctx.deps.clock.now() });
  await (rotate
    ? insert.onConflictDoUpdate({
        target: calendarExports.listingId,
        set: { token: sql`excluded.token`, createdAt: sql`excluded.created_at` },
      })
    : insert.onConflictDoNothing());
  const [row] = await ctx.db.select().from(calendarExports).where(eq(calendarExports.listingId, listingId));
  if (!row) throw new Error(`listing ${listingId} has no calendar export`);
  return {
    url: feedUrl(publicBase(ctx, origin), listingId, row.token),
    createdAt: row.createdAt.toISOString(),
  };
}
