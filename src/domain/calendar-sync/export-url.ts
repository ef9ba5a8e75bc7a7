import { eq } from "drizzle-orm";
import { calendarExports } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
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

/** The export row of a listing, as the API shows it. */
export async function readExport(
  ctx: DomainContext,
  listingId: string,
  base: string,
): Promise<CalendarExport> {
  const [row] = await ctx.db.select().from(calendarExports).where(eq(calendarExports.listingId, listingId));
  if (!row) throw new Error(`listing ${listingId} has no calendar export`);
  return { url: feedUrl(base, listingId, row.token), createdAt: row.createdAt.toISOString() };
}
