import type { DateRange } from "../bookings/calendar-rules.ts";
import { addDays, datesBetween } from "../bookings/local-time.ts";
import type { ImportConflict, ImportConflictReason } from "./vocabulary.ts";

/** A blocked date of the listing that this import does not own: the host's, or another import's. */
export interface OtherBlock {
  day: string;
  importId: string | null;
}

export interface ImportPlan {
  /** Dates to block for the import. */
  block: string[];
  /** Dates the import blocked that its feed no longer marks busy. */
  release: string[];
  /** Dates the feed marks busy that stay as they are, and why. */
  conflicts: ImportConflict[];
}

/** Of two dates (`YYYY-MM-DD`), the later and the earlier. */
const later = (a: string, b: string) => [a, b].sort()[1] ?? a;
const earlier = (a: string, b: string) => [a, b].sort()[0] ?? a;

/**
 * The dates of `ranges` within `[window.from, window.to)`, sorted, each once. The ranges are
 * merged first, so the work grows with the window, not with how often the ranges overlap (a
 * feed may send thousands of events that each span years).
 */
export function datesWithin(ranges: DateRange[], window: DateRange): string[] {
  const clipped = ranges
    .map((range) => ({ from: later(range.from, window.from), to: earlier(range.to, window.to) }))
    .filter((range) => range.from < range.to)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const dates: string[] = [];
  let reached = window.from;
  for (const range of clipped) {
    const from = later(range.from, reached);
    if (from < range.to) dates.push(...datesBetween(from, range.to));
    reached = later(range.to, reached);
  }
  return dates;
}

/** Runs of consecutive dates with the same label, as ranges. `days` is sorted. */
export function dayRuns<L extends string>(
  days: Array<{ day: string; label: L }>,
): Array<DateRange & { label: L }> {
  const runs: Array<DateRange & { label: L }> = [];
  for (const { day, label } of days) {
    const last = runs.at(-1);
    if (last && last.to === day && last.label === label) last.to = addDays(day, 1);
    else runs.push({ from: day, to: addDays(day, 1), label });
  }
  return runs;
}

/**
 * What a sync changes: each date the feed marks busy is blocked for the import, unless a booking
 * holds it (`booked`), the host blocked it (`blocked`) or another import did (`imported`): those
 * are conflicts, reported, never overwritten. The import's own blocks the feed no longer has are
 * released. The host's blocks and other imports' are never touched.
 */
export function planImport(input: {
  /** The dates the feed marks busy, sorted. */
  wanted: string[];
  /** The dates the import has blocked. */
  owned: Set<string>;
  /** Blocked dates of the listing the import does not own. */
  others: OtherBlock[];
  /** Dates a booking holds. */
  booked: Set<string>;
}): ImportPlan {
  const others = new Map(input.others.map((row) => [row.day, row.importId]));
  const wanted = new Set(input.wanted);
  const block: string[] = [];
  const clashes: Array<{ day: string; label: ImportConflictReason }> = [];
  for (const day of input.wanted) {
    if (input.owned.has(day)) continue;
    if (input.booked.has(day)) clashes.push({ day, label: "booked" });
    else if (others.has(day)) clashes.push({ day, label: others.get(day) === null ? "blocked" : "imported" });
    else block.push(day);
  }
  const release = [...input.owned].filter((day) => !wanted.has(day)).sort();
  const conflicts = dayRuns(clashes).map(({ from, to, label }) => ({ from, to, reason: label }));
  return { block, release, conflicts };
}
