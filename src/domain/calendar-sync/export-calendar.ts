import { and, asc, eq, gte, isNull, lt } from "drizzle-orm";
import { calendarDays, calendarExports, listings } from "../../db/schema/index.ts";
import type { RateLimitRule } from "../../ports.ts";
import { CALENDAR_REACH_DAYS } from "../bookings/calendar-rules.ts";
import { holdingBookingsIn } from "../bookings/calendar-store.ts";
import { addDays, localDate } from "../bookings/local-time.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { timingSafeEqual } from "../identity/password.ts";
import { sha256Hex } from "../identity/tokens.ts";
import { enforceRateLimit } from "../rate-limit.ts";
import { type AllDayEvent, writeIcal } from "./ical-write.ts";
import { dayRuns } from "./import-plan.ts";

/** How far back the feed shows stays and blocks: calendar apps keep recent history. */
export const EXPORT_PAST_DAYS = 30;

/**
 * How often one client may read one listing's feed: other sites poll a feed every few minutes at
 * most. Counted per listing and client IP, before the token is looked at, so a 429 says nothing
 * about the token, a wrong token costs what a right one does, and someone hammering a listing's
 * feed (with its secret or without) never locks out the sites that sync it. Not per IP alone: a
 * calendar service fetches the feeds of many listings from few addresses. A (limit, 60 s) pair the
 * Workers rate-limit bindings already enforce (wrangler.toml).
 */
export const feedReadLimit = { limit: 10, windowSeconds: 60 } satisfies RateLimitRule;

const feedNotFound = () => new AppError("NOT_FOUND", "No calendar feed at this URL.");

/** Two secrets compared in constant time (their digests, so their lengths do not show either). */
async function sameSecret(given: string, stored: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256Hex(given), sha256Hex(stored)]);
  const bytes = (hex: string) => new TextEncoder().encode(hex);
  return timingSafeEqual(bytes(a), bytes(b));
}

/** A UID that is the same on every fetch and leads back to nothing: a digest, not the booking's id. */
const uidOf = async (key: string) => `${(await sha256Hex(key)).slice(0, 32)}@stayedge`;

/**
 * The listing's iCalendar feed, for whoever holds its secret URL (any other token: 404; more than
 * `feedReadLimit` reads a minute from one client: 429, whatever the token): each stay
 * a booking holds as "Reserved", each range the host blocked as "Not available", from
 * EXPORT_PAST_DAYS ago to as far as the calendar reaches. No guest's name, e-mail or id, and no
 * booking id. Dates imported from other calendars are left out, so that two sites importing each
 * other's feeds do not echo each other's blocks forever. The ETag is weak: it changes with the
 * events, not with DTSTAMP.
 */
export async function exportCalendar({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; token?: string | undefined; clientIp: string };
}): Promise<{ ics: string; etag: string }> {
  await enforceRateLimit(ctx.deps, `calendar-feed:${input.id}:${input.clientIp}`, feedReadLimit);
  const { token } = input;
  if (token === undefined) throw feedNotFound();
  const [feed] = await ctx.db
    .select({ token: calendarExports.token, title: listings.title, timezone: listings.timezone })
    .from(calendarExports)
    .innerJoin(listings, eq(listings.id, calendarExports.listingId))
    .where(eq(calendarExports.listingId, input.id))
    .limit(1);
  if (!feed || !(await sameSecret(token, feed.token))) throw feedNotFound();
  const now = ctx.deps.clock.now();
  const today = localDate(now, feed.timezone);
  const from = addDays(today, -EXPORT_PAST_DAYS);
  const to = addDays(today, CALENDAR_REACH_DAYS);
  const stays = await holdingBookingsIn(ctx.db, input.id, from, to);
  const blocked = await ctx.db
    .select({ day: calendarDays.day })
    .from(calendarDays)
    .where(
      and(
        eq(calendarDays.listingId, input.id),
        eq(calendarDays.blocked, true),
        isNull(calendarDays.importId),
        gte(calendarDays.day, from),
        lt(calendarDays.day, to),
      ),
    )
    .orderBy(asc(calendarDays.day));
  const blocks = dayRuns(blocked.map(({ day }) => ({ day, label: "blocked" })));
  const events: AllDayEvent[] = [
    ...(await Promise.all(
      stays.map(async (stay) => ({
        uid: await uidOf(`booking:${stay.id}`),
        from: stay.checkIn,
        to: stay.checkOut,
        summary: "Reserved",
      })),
    )),
    ...(await Promise.all(
      blocks.map(async (block) => ({
        uid: await uidOf(`block:${input.id}:${block.from}:${block.to}`),
        from: block.from,
        to: block.to,
        summary: "Not available",
      })),
    )),
  ].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const etag = `W/"${(await sha256Hex(JSON.stringify([feed.title, events]))).slice(0, 32)}"`;
  return { ics: writeIcal({ name: feed.title, stamp: now, events }), etag };
}
