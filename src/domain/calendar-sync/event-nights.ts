import type { DateRange } from "../bookings/calendar-rules.ts";
import { addDays, wallClock, zonedInstant } from "../bookings/local-time.ts";
import type { IcalEvent, IcalTime } from "./ical-parse.ts";

const DAY_MS = 86_400_000;

/** Whether the runtime knows `zone` as an IANA time zone. */
function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The IANA zone a TZID names, if the runtime knows it: as written, or its `Area/City` tail
 * (`/mozilla.org/20050126_1/Europe/Berlin`). Windows names ("W. Europe Standard Time") are not read.
 */
export function zoneOf(tzid: string | undefined): string | undefined {
  if (!tzid) return undefined;
  if (knownZone(tzid)) return tzid;
  const tail = /([A-Za-z_]+\/[A-Za-z_+-]+)$/.exec(tzid)?.[1];
  return tail && knownZone(tail) ? tail : undefined;
}

/**
 * The instant of a date-time; a floating one (or one in a zone the runtime does not know) is read
 * on the listing's clock.
 */
export function instantOf(time: Exclude<IcalTime, { kind: "date" }>, timeZone: string): number {
  if (time.kind === "utc") return time.at.getTime();
  const zone = zoneOf(time.tzid) ?? timeZone;
  const seconds = Number(time.time.slice(6, 8));
  return zonedInstant(time.date, time.time.slice(0, 5), zone).getTime() + seconds * 1000;
}

/** The listing's local date of a DTSTART or DTEND. */
function localDateOf(time: IcalTime, timeZone: string): string {
  if (time.kind === "date") return time.date;
  return wallClock(new Date(instantOf(time, timeZone)), timeZone).slice(0, 10);
}

/** The local date `duration` after `start`: whole days on dates, elapsed time on date-times. */
function endByDuration(event: IcalEvent, timeZone: string): string {
  const { start, duration } = event;
  const days = duration?.days ?? 0;
  const ms = duration?.ms ?? 0;
  if (start.kind === "date") return addDays(start.date, days + (ms > 0 ? Math.ceil(ms / DAY_MS) : 0));
  const end = instantOf(start, timeZone) + days * DAY_MS + ms;
  return wallClock(new Date(end), timeZone).slice(0, 10);
}

/**
 * The nights an event takes at a listing in `timeZone`: from the local date it starts on up to
 * the local date it ends on (exclusive), so a stay from 15:00 on the 10th to 11:00 on the 13th
 * takes the nights of the 10th, 11th and 12th. The date it ends on stays free whatever the hour,
 * as a stay's check-out date does (an event to 18:00 on the 13th leaves the 13th's night for the
 * next guest); an event within one date (09:00 to 18:00) takes that date's night. An all-day event ends the day before its DTEND
 * (RFC 5545); without DTEND or DURATION, it takes its one day; any event takes at least one night.
 * A string says why it takes none.
 */
export function eventNights(event: IcalEvent, timeZone: string): DateRange | string {
  const from = localDateOf(event.start, timeZone);
  const end = event.end ? localDateOf(event.end, timeZone) : endByDuration(event, timeZone);
  if (end < from) return `${event.uid ? `The event ${event.uid}` : "An event"} ends before it starts`;
  return { from, to: end > from ? end : addDays(from, 1) };
}
