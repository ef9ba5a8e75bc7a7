import { invalidField } from "../errors.ts";
import { addDays, daysBetween } from "./local-time.ts";
import { MAX_CALENDAR_DAYS } from "./vocabulary.ts";

/** What a calendar read shows when asked for no end. */
export const DEFAULT_CALENDAR_DAYS = 30;

/**
 * How far from the listing's today a calendar reaches, either way: the farthest a stay can end
 * (a 730-day booking window, then 1095 nights). Beyond it there is nothing to show or change.
 */
export const CALENDAR_REACH_DAYS = 1825;

/** Dates from `from` up to, not including, `to`. */
export interface DateRange {
  from: string;
  to: string;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `text` is a real `YYYY-MM-DD` date (not 2027-02-30). */
export function isCalendarDate(text: string): boolean {
  return CALENDAR_DATE.test(text) && !Number.isNaN(Date.parse(text)) && addDays(text, 0) === text;
}

/** Why `to` cannot end a range from `from`, if it cannot. */
export function rangeProblem({ from, to }: DateRange): string | undefined {
  if (to <= from) return `Must be after ${from}`;
  if (daysBetween(from, to) > MAX_CALENDAR_DAYS) {
    return `A range spans at most ${MAX_CALENDAR_DAYS} days: the latest end from ${from} is ${addDays(from, MAX_CALENDAR_DAYS)}`;
  }
  return undefined;
}

/**
 * The range a calendar read shows: by default from the listing's `today` for
 * DEFAULT_CALENDAR_DAYS days. Past dates show as they are, within CALENDAR_REACH_DAYS.
 */
export function readRange(today: string, asked: Partial<DateRange>): DateRange {
  const from = asked.from ?? today;
  const earliest = addDays(today, -CALENDAR_REACH_DAYS);
  const latest = addDays(today, CALENDAR_REACH_DAYS);
  if (from < earliest) throw invalidField("from", `Reaches back at most to ${earliest}`);
  if (from > latest) throw invalidField("from", `Reaches ahead at most to ${latest}`);
  const range = { from, to: asked.to ?? addDays(from, DEFAULT_CALENDAR_DAYS) };
  const problem = rangeProblem(range);
  if (problem) throw invalidField("to", problem);
  return range;
}
