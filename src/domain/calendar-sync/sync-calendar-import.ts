import { and, eq, gte, isNull, lt, ne, or } from "drizzle-orm";
import { calendarDays, calendarImports, listings } from "../../db/schema/index.ts";
import type { DateRange } from "../bookings/calendar-rules.ts";
import { CALENDAR_REACH_DAYS } from "../bookings/calendar-rules.ts";
import { holdingBookingsIn } from "../bookings/calendar-store.ts";
import { addDays, datesBetween, localDate } from "../bookings/local-time.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { eventNights } from "./event-nights.ts";
import { FEED_LIMITS, FeedError, type FeedLimits, fetchFeed } from "./fetch-feed.ts";
import { IcalError, type ParsedFeed, parseIcal } from "./ical-parse.ts";
import { blockDays, releaseDays } from "./import-blocks.ts";
import { datesWithin, planImport } from "./import-plan.ts";
import { expandRecurrences } from "./recurrence.ts";

export type SyncOutcome = "synced" | "failed" | "gone";

const MINUTE_MS = 60_000;
/** How often an imported calendar is fetched again after a good fetch. */
export const SYNC_INTERVAL_MS = 30 * MINUTE_MS;

/** After `failures` failed fetches in a row, wait 5 minutes, doubling up to 6 hours. */
export function backOffMs(failures: number): number {
  return Math.min(5 * MINUTE_MS * 2 ** Math.max(0, failures - 1), 6 * 60 * MINUTE_MS);
}

/** The nights the feed's events take within `window`, and a note on the events it could not use. */
function busyNights(
  feed: ParsedFeed,
  timeZone: string,
  window: DateRange,
): { ranges: DateRange[]; note: string | null } {
  const skipped = [...feed.skipped];
  const ranges: DateRange[] = [];
  const { events, notes } = expandRecurrences(feed.events, { timeZone, window });
  for (const event of events) {
    if (event.cancelled || event.transparent) continue;
    const nights = eventNights(event, timeZone);
    if (typeof nights === "string") skipped.push(nights);
    else ranges.push(nights);
  }
  const all = [
    ...(skipped.length > 0
      ? [`${skipped.length} event(s) could not be read: ${skipped.slice(0, 3).join("; ")}`]
      : []),
    ...notes,
  ];
  return { ranges, note: all.length > 0 ? all.join(". ") : null };
}

/**
 * Fetches an imported calendar (outside any transaction) and applies it in one: the dates its
 * events take become blocks the import owns, its blocks the feed no longer has open again, and
 * dates a booking or another block holds are kept as they are and reported as conflicts. A fetch
 * or a feed that fails is recorded on the import (`lastError`) and retried with back-off; the
 * dates of the last good fetch stay meanwhile.
 */
export async function syncCalendarImport({
  ctx,
  input,
}: {
  ctx: DomainContext;
  /** `limits`: FEED_LIMITS unless a test asks for tighter ones. */
  input: { importId: string; limits?: FeedLimits | undefined };
}): Promise<SyncOutcome> {
  const [target] = await ctx.db
    .select({ url: calendarImports.url, failures: calendarImports.failures, timezone: listings.timezone })
    .from(calendarImports)
    .innerJoin(listings, eq(listings.id, calendarImports.listingId))
    .where(eq(calendarImports.id, input.importId));
  if (!target) return "gone";
  let feed: ParsedFeed;
  try {
    feed = parseIcal(await fetchFeed(ctx.deps.outbound, target.url, input.limits ?? FEED_LIMITS));
  } catch (error) {
    if (!(error instanceof FeedError || error instanceof IcalError)) throw error;
    const now = ctx.deps.clock.now();
    const failures = target.failures + 1;
    await ctx.db
      .update(calendarImports)
      .set({
        lastFetchedAt: now,
        lastError: error.message,
        failures,
        nextFetchAt: new Date(now.getTime() + backOffMs(failures)),
      })
      .where(eq(calendarImports.id, input.importId));
    ctx.deps.logger.log("warn", "calendar.import.failed", {
      importId: input.importId,
      failures,
      error: error.name,
    });
    return "failed";
  }
  const today = localDate(ctx.deps.clock.now(), target.timezone);
  const window = { from: today, to: addDays(today, CALENDAR_REACH_DAYS) };
  const { ranges, note } = busyNights(feed, target.timezone, window);
  return apply(ctx, input.importId, ranges, note);
}

async function apply(
  ctx: DomainContext,
  importId: string,
  ranges: DateRange[],
  note: string | null,
): Promise<SyncOutcome> {
  return withTransaction(ctx, async (ctx) => {
    const [row] = await ctx.db
      .select({ listingId: calendarImports.listingId })
      .from(calendarImports)
      .where(eq(calendarImports.id, importId));
    if (!row) return "gone";
    const [listing] = await ctx.db
      .select({ id: listings.id, timezone: listings.timezone })
      .from(listings)
      .where(eq(listings.id, row.listingId))
      .for("update");
    if (!listing) return "gone";
    const now = ctx.deps.clock.now();
    const today = localDate(now, listing.timezone);
    const wanted = datesWithin(ranges, { from: today, to: addDays(today, CALENDAR_REACH_DAYS) });
    const owned = await ctx.db
      .select({ day: calendarDays.day })
      .from(calendarDays)
      .where(and(eq(calendarDays.importId, importId), gte(calendarDays.day, today)));
    const span = { from: wanted[0] ?? today, to: addDays(wanted.at(-1) ?? today, 1) };
    const others = await ctx.db
      .select({ day: calendarDays.day, importId: calendarDays.importId })
      .from(calendarDays)
      .where(
        and(
          eq(calendarDays.listingId, listing.id),
          eq(calendarDays.blocked, true),
          or(isNull(calendarDays.importId), ne(calendarDays.importId, importId)),
          gte(calendarDays.day, span.from),
          lt(calendarDays.day, span.to),
        ),
      );
    const stays = await holdingBookingsIn(ctx.db, listing.id, span.from, span.to);
    const plan = planImport({
      wanted,
      owned: new Set(owned.map((r) => r.day)),
      others,
      booked: new Set(stays.flatMap((stay) => datesBetween(stay.checkIn, stay.checkOut))),
    });
    await releaseDays(ctx, importId, plan.release);
    await blockDays(ctx, listing.id, importId, plan.block);
    await ctx.db
      .update(calendarImports)
      .set({
        lastFetchedAt: now,
        lastSyncedAt: now,
        lastError: note,
        failures: 0,
        conflicts: plan.conflicts,
        nextFetchAt: new Date(now.getTime() + SYNC_INTERVAL_MS),
      })
      .where(eq(calendarImports.id, importId));
    ctx.deps.logger.log("info", "calendar.import.synced", {
      importId,
      listingId: listing.id,
      blocked: plan.block.length,
      released: plan.release.length,
      conflicts: plan.conflicts.length,
    });
    return "synced";
  });
}
