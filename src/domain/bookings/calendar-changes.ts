import { invalidField } from "../errors.ts";
import { CALENDAR_REACH_DAYS, type DateRange, isCalendarDate, rangeProblem } from "./calendar-rules.ts";
import { addDays, datesBetween } from "./local-time.ts";
import { MAX_CALENDAR_DAYS } from "./vocabulary.ts";

/** A host's change of a calendar: ranges of dates to block, open, price or set back to the nightly price. */
export interface CalendarChanges {
  block?: DateRange[] | undefined;
  unblock?: DateRange[] | undefined;
  setPrice?: Array<DateRange & { price: number }> | undefined;
  clearPrice?: DateRange[] | undefined;
}

const kinds = ["block", "unblock", "setPrice", "clearPrice"] as const;

/** The state of a date: a row of calendar_days, or the defaults when it has none. */
export interface DayState {
  blocked: boolean;
  price: number | null;
}

/** What a change asks of one date; a key left out stays as it is. */
export type WantedDay = Partial<DayState>;

export interface ChangeProblem {
  path: Array<string | number>;
  message: string;
}

interface SentRange extends DateRange {
  kind: (typeof kinds)[number];
  index: number;
  price?: number;
}

/** Every range of `changes` with where it was sent, in order. */
export function rangesOf(changes: CalendarChanges): SentRange[] {
  return kinds.flatMap((kind) => (changes[kind] ?? []).map((range, index) => ({ ...range, kind, index })));
}

/** From the earliest date any range names to the end of the last one (ISO dates sort as text). */
export function changeSpan(changes: CalendarChanges): DateRange {
  const ranges = rangesOf(changes);
  const starts = ranges.map((r) => r.from).toSorted();
  const ends = ranges.map((r) => r.to).toSorted();
  return { from: starts[0] ?? "", to: ends.at(-1) ?? "" };
}

const answerOf = (range: SentRange) =>
  range.kind === "block" || range.kind === "unblock"
    ? { key: "blocked" as const, value: range.kind === "block" }
    : { key: "price" as const, value: range.kind === "setPrice" ? (range.price ?? null) : null };

/**
 * What `changes` ask of each date they name, or why they cannot be applied: no range at all, a
 * range that ends too soon or too late, ranges farther apart than one calendar (its answer)
 * shows, or a date given two answers (blocked and opened, two prices). Ranges with dates that are
 * not dates are left out: the schema names those.
 */
export function planChanges(changes: CalendarChanges): {
  wanted: Map<string, WantedDay>;
  problems: ChangeProblem[];
} {
  const ranges = rangesOf(changes).filter((r) => isCalendarDate(r.from) && isCalendarDate(r.to));
  const problems: ChangeProblem[] = [];
  if (rangesOf(changes).length === 0) {
    problems.push({ path: [], message: "Send at least one range in block, unblock, setPrice or clearPrice" });
  }
  const valid = ranges.filter((range) => {
    const problem = rangeProblem(range);
    if (problem) problems.push({ path: [range.kind, range.index, "to"], message: problem });
    return problem === undefined;
  });
  const earliest = valid.map((r) => r.from).toSorted()[0] ?? "";
  const end = earliest && addDays(earliest, MAX_CALENDAR_DAYS);
  const wanted = new Map<string, WantedDay>();
  const answeredBy = new Map<string, SentRange>();
  for (const range of valid) {
    if (range.to > end) {
      problems.push({
        path: [range.kind, range.index, "to"],
        message: `One change spans at most ${MAX_CALENDAR_DAYS} days: from ${earliest} it ends by ${end}`,
      });
      continue;
    }
    const { key, value } = answerOf(range);
    for (const date of datesBetween(range.from, range.to)) {
      const day = wanted.get(date) ?? {};
      const earlier = answeredBy.get(`${key} ${date}`);
      if (earlier && day[key] !== value) {
        problems.push({
          path: [range.kind, range.index],
          message: `${date} is in ${earlier.kind}[${earlier.index}] too, which says otherwise`,
        });
        break;
      }
      wanted.set(date, { ...day, [key]: value });
      answeredBy.set(`${key} ${date}`, range);
    }
  }
  return { wanted, problems };
}

/**
 * Refuses dates before the listing's `today` (they have happened) and beyond CALENDAR_REACH_DAYS
 * after it, naming the first range that reaches them.
 */
export function checkChangeDates(changes: CalendarChanges, today: string): void {
  const latest = addDays(today, CALENDAR_REACH_DAYS);
  for (const range of rangesOf(changes)) {
    if (range.from < today) {
      throw invalidField(
        `${range.kind}.${range.index}.from`,
        `Is in the past: today is ${today} where the listing is`,
      );
    }
    if (range.to > latest) {
      throw invalidField(`${range.kind}.${range.index}.to`, `Is too far ahead: the latest end is ${latest}`);
    }
  }
}

/** A calendar_days row to write. */
export interface DayRow extends DayState {
  day: string;
  /** The imported calendar whose block this is; none for the host's own (src/domain/calendar-sync). */
  importId?: string | null | undefined;
}

/**
 * The rows to write and the dates to delete so that each date becomes what `wanted` asks: a row
 * exists only while its date is blocked or priced. Dates already as asked are left alone. A date
 * the host blocks or opens becomes the host's, even if an imported calendar blocked it; a price
 * alone leaves the block with whoever made it.
 */
export function dayWrites(
  existing: DayRow[],
  wanted: Map<string, WantedDay>,
): { upserts: DayRow[]; deletes: string[] } {
  const rows = new Map(existing.map((row) => [row.day, row]));
  const upserts: DayRow[] = [];
  const deletes: string[] = [];
  for (const [day, want] of wanted) {
    const current = rows.get(day);
    const blocked = want.blocked ?? current?.blocked ?? false;
    const price = want.price === undefined ? (current?.price ?? null) : want.price;
    const importId = want.blocked === undefined ? (current?.importId ?? undefined) : undefined;
    if (
      current?.blocked === blocked &&
      current.price === price &&
      (current.importId ?? undefined) === importId
    ) {
      continue;
    }
    if (blocked || price !== null) upserts.push({ day, blocked, price, ...(importId && { importId }) });
    else if (current) deletes.push(day);
  }
  return { upserts, deletes };
}
