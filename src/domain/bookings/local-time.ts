/**
 * Calendar dates (`YYYY-MM-DD`) and wall-clock times in a listing's IANA time zone. A stay's dates
 * are the listing's local dates; deadlines are instants. Plain `Intl`, no library: the runtime's
 * time-zone data is the one every other part of the app uses.
 */

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading in `timeZone` at `instant`, as `YYYY-MM-DDTHH:MM:SS`. */
export function wallClock(instant: Date, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const { type, value } of formatterFor(timeZone).formatToParts(instant)) parts[type] = value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The listing's date at `instant`: what "today" is where the home is. */
export function localDate(instant: Date, timeZone: string): string {
  return wallClock(instant, timeZone).slice(0, 10);
}

/** Milliseconds since the epoch of a wall-clock reading taken as if it were UTC. */
const asUtc = (wall: string) => Date.parse(`${wall}Z`);

/** How far the clock in `timeZone` is ahead of UTC at the instant `ms`, in milliseconds. */
const offsetAt = (ms: number, timeZone: string) => asUtc(wallClock(new Date(ms), timeZone)) - ms;

/**
 * The instant at which the clock in `timeZone` reads `date` `time` (`HH:MM`). A reading that
 * happens twice (clocks going back) is the earlier instant; one that never happens (clocks going
 * forward) is read with the offset before the change, so it lands after the jump, as a guest
 * arriving at 02:30 on that night would find it.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const wanted = asUtc(`${date}T${time}:00`);
  // A zone changes its offset at most once within a day either side of any reading.
  const before = wanted - offsetAt(wanted - DAY_MS, timeZone);
  const after = wanted - offsetAt(wanted + DAY_MS, timeZone);
  const reads = (ms: number) => asUtc(wallClock(new Date(ms), timeZone)) === wanted;
  const candidates = [before, after].filter(reads).sort((a, b) => a - b);
  return new Date(candidates[0] ?? before);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/** Each date from `from` up to, not including, `to`: the nights of a stay. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let date = from; date < to; date = addDays(date, 1)) dates.push(date);
  return dates;
}
