import * as rruleModule from "rrule";
import type { DateRange } from "../bookings/calendar-rules.ts";
import { wallClock } from "../bookings/local-time.ts";
import { instantOf, zoneOf } from "./event-nights.ts";
import type { IcalEvent, IcalTime } from "./ical-parse.ts";

// rrule's CommonJS entry is a webpack bundle whose names Node cannot see, so on Node the module is
// its `default`; bundlers (Wrangler) read its ES module, which has no default.
const { RRule }: Pick<typeof rruleModule, "RRule"> = Reflect.get(rruleModule, "default") ?? rruleModule;

const DAY_MS = 86_400_000;

/**
 * What expanding one feed's recurrences may cost. rrule walks a rule period by period, trying each
 * date and time its filters allow (a candidate): a rule whose filters match no date
 * (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`) walks on to the year 9999, and one with many times a day
 * that began centuries ago tries millions of candidates before the window: seconds of CPU that a
 * hostile feed could ask for on every sync. `steps` (periods) and `candidates` bound the walk for
 * the whole feed, and PER_EVENT each event's, so that one such rule leaves the others their share.
 */
export interface RecurrenceBudget {
  steps: number;
  candidates: number;
}

/** Enough for a daily rule that began 25 years ago, a weekly one 190 (a step is half a period). */
const PER_EVENT: RecurrenceBudget = { steps: 20_000, candidates: 25_000 };

export const recurrenceBudget = (): RecurrenceBudget => ({ steps: 100_000, candidates: 150_000 });

/**
 * The events of a feed with each recurring one (RRULE, RDATE) replaced by its occurrences whose
 * nights may fall in `window` (RFC 5545 §3.8.5: DTSTART always counts; EXDATE, and events that
 * override one occurrence by RECURRENCE-ID, take theirs out). Occurrences keep the event's length
 * and status. Recurrences are read on the event's own clock: its TZID (or the listing's, when
 * floating), so "every Saturday 15:00" stays at 15:00 across daylight-saving changes. `notes` says
 * which could not be read, and whether the budget ran out (those events keep their occurrences so
 * far, DTSTART at least).
 */
export function expandRecurrences(
  events: IcalEvent[],
  {
    timeZone,
    window,
    budget = recurrenceBudget(),
  }: {
    timeZone: string;
    window: DateRange;
    budget?: RecurrenceBudget;
  },
): { events: IcalEvent[]; notes: string[] } {
  const overridden = new Map<string, IcalTime[]>();
  for (const event of events) {
    if (event.uid && event.recurrenceId) {
      overridden.set(event.uid, [...(overridden.get(event.uid) ?? []), event.recurrenceId]);
    }
  }
  const expanded: IcalEvent[] = [];
  const unread: string[] = [];
  let cut = 0;
  for (const event of events) {
    if (event.recurrenceId || (!event.rrule && event.rdates.length === 0)) {
      expanded.push(event);
      continue;
    }
    const frame = frameOf(event.start, timeZone);
    const start = frame.toFrame(event.start);
    const length = lengthOf(event, frame);
    const excluded = [...event.exdates, ...(event.uid ? (overridden.get(event.uid) ?? []) : [])];
    const skip = new Set(excluded.map(frame.toFrame));
    // A date takes out every occurrence on it, whatever its time (feeds write EXDATE;VALUE=DATE
    // against timed events too).
    const skipDates = new Set(excluded.flatMap((time) => (time.kind === "date" ? [time.date] : [])));
    const starts = new Set([start, ...event.rdates.map(frame.toFrame)]);
    if (event.rrule) {
      const after = Date.parse(window.from) - length - 2 * DAY_MS;
      const before = Date.parse(window.to) + 2 * DAY_MS;
      const found = occurrencesOf(event.rrule, start, frame, { after, before }, budget);
      if (found === undefined) unread.push(event.uid ?? "(no UID)");
      else if (found.cut) cut++;
      for (const at of found?.starts ?? []) starts.add(at);
    }
    for (const at of [...starts].sort((a, b) => a - b)) {
      if (skip.has(at) || skipDates.has(new Date(at).toISOString().slice(0, 10))) continue;
      expanded.push({
        ...event,
        start: frame.fromFrame(at),
        end: undefined,
        duration: { days: 0, ms: length, negative: false },
      });
    }
  }
  const notes = [
    ...(unread.length > 0
      ? [
          `${unread.length} recurrence rule(s) could not be read or recur more often than daily, only their first date is blocked: ${unread.slice(0, 3).join(", ")}`,
        ]
      : []),
    ...(cut > 0
      ? [
          `${cut} recurring event(s) could not be followed to the end (too many occurrences, or a rule too costly to follow): only their first occurrences are blocked`,
        ]
      : []),
  ];
  return { events: expanded, notes };
}

/**
 * The clock an event recurs on, as milliseconds of a wall-clock reading taken as if it were UTC:
 * dates at midnight, UTC times as they are, local times on their zone's (or the listing's) clock.
 */
interface Frame {
  toFrame(time: IcalTime): number;
  fromFrame(ms: number): IcalTime;
}

const asUtc = (date: string, time = "00:00:00") => Date.parse(`${date}T${time}Z`);

function frameOf(start: IcalTime, timeZone: string): Frame {
  if (start.kind === "date") {
    return {
      toFrame: (time) => asUtc(time.kind === "utc" ? time.at.toISOString().slice(0, 10) : time.date),
      fromFrame: (ms) => ({ kind: "date", date: new Date(ms).toISOString().slice(0, 10) }),
    };
  }
  if (start.kind === "utc") {
    return {
      toFrame: (time) => (time.kind === "date" ? asUtc(time.date) : instantOf(time, timeZone)),
      fromFrame: (ms) => ({ kind: "utc", at: new Date(ms) }),
    };
  }
  const zone = zoneOf(start.tzid) ?? timeZone;
  return {
    toFrame: (time) =>
      time.kind === "date"
        ? asUtc(time.date)
        : Date.parse(`${wallClock(new Date(instantOf(time, zone)), zone)}Z`),
    fromFrame: (ms) => {
      const iso = new Date(ms).toISOString();
      return { kind: "local", date: iso.slice(0, 10), time: iso.slice(11, 19), tzid: start.tzid };
    },
  };
}

/** How long each occurrence lasts, in the frame's milliseconds (an all-day event without an end: a day). */
function lengthOf(event: IcalEvent, frame: Frame): number {
  if (event.end) return Math.max(0, frame.toFrame(event.end) - frame.toFrame(event.start));
  if (event.duration) return event.duration.days * DAY_MS + event.duration.ms;
  return event.start.kind === "date" ? DAY_MS : 0;
}

/** Thrown from inside rrule's loop to end it once a budget is spent. */
const SPENT = Symbol("recurrence budget spent");

/**
 * The starts (frame milliseconds) of `rule` from `start` within `[after, before]`, or undefined
 * when it cannot be read, or recurs more often than daily: rrule 2.8 loops forever on some such
 * rules (`FREQ=MINUTELY;INTERVAL=60;BYMINUTE=5`), and a night is the smallest thing a calendar
 * here blocks. `cut` when a budget ran out on the way: the starts found so far stand.
 */
function occurrencesOf(
  rule: string,
  start: number,
  frame: Frame,
  { after, before }: { after: number; before: number },
  budget: RecurrenceBudget,
): { starts: number[]; cut: boolean } | undefined {
  const starts: number[] = [];
  let cut = false;
  const spend = (kind: keyof RecurrenceBudget, used: RecurrenceBudget) => {
    used[kind]++;
    if (used[kind] <= PER_EVENT[kind] && budget[kind]-- > 0) return true;
    cut = true;
    return false;
  };
  try {
    const options = RRule.parseString(rule);
    if (options.freq === undefined || options.freq > RRule.DAILY) return undefined;
    // UNTIL is UTC when DTSTART has a zone (RFC 5545 §3.3.10): read it on the event's clock.
    const untilUtc = /UNTIL=\d{8}T\d{6}Z/i.test(rule);
    if (options.until && untilUtc) {
      options.until = new Date(frame.toFrame({ kind: "utc", at: options.until }));
    }
    const recurrence = new RRule({ ...options, dtstart: new Date(start) }, true);
    // rrule's loop reads `interval` twice a period (and stops when it reads 0, its own stop for
    // INTERVAL=0) and `tzid` once a candidate: counting the reads bounds the walk.
    const { interval, tzid } = recurrence.options;
    const used: RecurrenceBudget = { steps: 0, candidates: 0 };
    recurrence.options = Object.defineProperties(
      { ...recurrence.options },
      {
        interval: { enumerable: true, get: () => (spend("steps", used) ? interval : 0) },
        tzid: {
          enumerable: true,
          get: () => {
            if (spend("candidates", used)) return tzid;
            throw SPENT;
          },
        },
      },
    );
    try {
      recurrence.between(new Date(after), new Date(before), true, (date) => starts.push(date.getTime()) > 0);
    } catch (error) {
      if (error !== SPENT) throw error;
    }
    return { starts, cut };
  } catch {
    return undefined;
  }
}
