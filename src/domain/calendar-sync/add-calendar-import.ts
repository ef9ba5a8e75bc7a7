import { and, count, eq } from "drizzle-orm";
import { calendarImports } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError, invalidField } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { CalendarImport, NewCalendarImport } from "./calendar-sync-schemas.ts";
import { listingToManage, toCalendarImport } from "./calendar-sync-store.ts";
import { checkFeedUrl, checkResolvedTarget } from "./feed-target.ts";
import { MAX_IMPORTS_PER_LISTING } from "./vocabulary.ts";

/**
 * The host (or an admin) imports another site's calendar into a listing. The URL must pass the
 * SSRF guard now (https, a public host, and on Node a name that resolves to public addresses
 * only; a name that does not resolve yet is kept, and its fetches will say so), and again before
 * every fetch. The next tick fetches it. 404 for anyone but the host and admins.
 */
export async function addCalendarImport({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string } & NewCalendarImport;
}): Promise<CalendarImport> {
  const actor = requireActor(ctx);
  await listingToManage(ctx, actor, input.id);
  const checked = checkFeedUrl(input.url);
  if (!checked.ok) throw invalidField("url", checked.problem);
  const resolved = await checkResolvedTarget(checked.url, (host) => ctx.deps.outbound.resolve(host));
  if (resolved && !resolved.unresolved) throw invalidField("url", resolved.problem);
  const url = checked.url.href;
  return withTransaction(ctx, async (ctx) => {
    const listing = await listingToManage(ctx, actor, input.id, { lock: true });
    const [same] = await ctx.db
      .select({ id: calendarImports.id })
      .from(calendarImports)
      .where(and(eq(calendarImports.listingId, listing.id), eq(calendarImports.url, url)));
    if (same) throw new AppError("CONFLICT", "This listing imports this calendar already.");
    const [imports] = await ctx.db
      .select({ n: count() })
      .from(calendarImports)
      .where(eq(calendarImports.listingId, listing.id));
    if ((imports?.n ?? 0) >= MAX_IMPORTS_PER_LISTING) {
      throw new AppError("CONFLICT", `A listing imports at most ${MAX_IMPORTS_PER_LISTING} calendars.`);
    }
    const now = ctx.deps.clock.now();
    const [row] = await ctx.db
      .insert(calendarImports)
      .values({
        id: ctx.deps.ids.next(),
        listingId: listing.id,
        url,
        name: input.name ?? null,
        createdAt: now,
        nextFetchAt: now,
      })
      .returning();
    if (!row) throw new Error("calendar import: insert returned no row");
    return toCalendarImport(row, 0);
  });
}
