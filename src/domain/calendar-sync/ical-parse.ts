/**
 * A small reader of iCalendar (RFC 5545) feeds, as other sites export availability: the VEVENTs
 * of a VCALENDAR with their start, end or duration, recurrence (RRULE, RDATE, EXDATE,
 * RECURRENCE-ID: expanded by recurrence.ts), status, transparency and UID. Lenient where
 * feeds in the wild are (bare LF line endings, unknown properties, a broken event among good
 * ones), strict where a mistake would cost dates: a feed that is not a calendar, or ends inside
 * one (cut off), is refused as a whole rather than read as "no events".
 */

/** The value of DTSTART or DTEND: a date, a UTC instant, or a wall-clock reading (in `tzid`, or floating). */
export type IcalTime =
  | { kind: "date"; date: string }
  | { kind: "utc"; at: Date }
  | { kind: "local"; date: string; time: string; tzid: string | undefined };

/** RFC 5545 §3.3.6: whole days (weeks included) and the rest in milliseconds. */
export interface IcalDuration {
  days: number;
  ms: number;
  negative: boolean;
}

export interface IcalEvent {
  uid: string | undefined;
  summary: string | undefined;
  start: IcalTime;
  end: IcalTime | undefined;
  duration: IcalDuration | undefined;
  /** STATUS:CANCELLED: it no longer takes the dates. */
  cancelled: boolean;
  /** TRANSP:TRANSPARENT: time marked free. */
  transparent: boolean;
  /** The RRULE's value (`FREQ=WEEKLY;BYDAY=MO`), as written: its occurrences are read by recurrence.ts. */
  rrule: string | undefined;
  /** RDATE: more occurrences, each as long as the first. */
  rdates: IcalTime[];
  /** EXDATE: occurrences that do not happen. */
  exdates: IcalTime[];
  /** RECURRENCE-ID: this event replaces one occurrence of the recurring event with its UID. */
  recurrenceId: IcalTime | undefined;
}

export interface ParsedFeed {
  events: IcalEvent[];
  /** Why each event that could not be read was left out. */
  skipped: string[];
}

/** The feed as a whole cannot be read. */
export class IcalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IcalError";
  }
}

export interface ContentLine {
  name: string;
  params: Map<string, string[]>;
  value: string;
}

/** Lines after unfolding (RFC 5545 §3.1): CRLF or a bare LF, then a space or tab, joins two lines. */
export function unfold(text: string): string[] {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/\n[ \t]/g, "")
    .split("\n");
}

const NAME = /^[A-Za-z0-9-]+/;

/** `NAME;PARAM=a,"b;c":value`, or undefined when the line is not a content line. */
export function parseContentLine(line: string): ContentLine | undefined {
  const name = NAME.exec(line)?.[0];
  if (!name) return undefined;
  const params = new Map<string, string[]>();
  let at = name.length;
  while (line[at] === ";") {
    const param = NAME.exec(line.slice(at + 1))?.[0];
    if (!param || line[at + 1 + param.length] !== "=") return undefined;
    at += param.length + 2;
    const values: string[] = [];
    for (;;) {
      if (line[at] === '"') {
        const close = line.indexOf('"', at + 1);
        if (close < 0) return undefined;
        values.push(line.slice(at + 1, close));
        at = close + 1;
      } else {
        const end = line.slice(at).search(/[,;:]/);
        if (end < 0) return undefined;
        values.push(line.slice(at, at + end));
        at += end;
      }
      if (line[at] !== ",") break;
      at++;
    }
    params.set(param.toUpperCase(), values);
  }
  if (line[at] !== ":") return undefined;
  return { name: name.toUpperCase(), params, value: line.slice(at + 1) };
}

/** RFC 5545 §3.3.11 TEXT: `\\`, `\;`, `\,` and `\n` read back. */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

const isRealDate = (date: string) => {
  const ms = Date.parse(date);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
};

/** DTSTART/DTEND: `20270310` (VALUE=DATE), `20270310T150000Z`, or `20270310T150000` (TZID or floating). */
export function parseTime(line: ContentLine): IcalTime | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(line.value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, z] = match;
  const date = `${y}-${mo}-${d}`;
  if (!isRealDate(date)) return undefined;
  if (h === undefined) return { kind: "date", date };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const time = `${h}:${mi}:${s === "60" ? "59" : s}`;
  if (z) return { kind: "utc", at: new Date(`${date}T${time}Z`) };
  return { kind: "local", date, time, tzid: line.params.get("TZID")?.[0] };
}

/**
 * The times of a list property (EXDATE, RDATE: `20270310,20270317`), or undefined when one cannot
 * be read. An RDATE period (`start/end`) counts by its start.
 */
export function parseTimes(lines: ContentLine[]): IcalTime[] | undefined {
  const times: IcalTime[] = [];
  for (const line of lines) {
    for (const value of line.value.split(",")) {
      const time = parseTime({ ...line, value: value.split("/")[0] ?? "" });
      if (!time) return undefined;
      times.push(time);
    }
  }
  return times;
}

/** `P3D`, `PT36H`, `P1W`, `-PT15M`… (RFC 5545 §3.3.6). */
export function parseDuration(value: string): IcalDuration | undefined {
  const match = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value.trim());
  if (!match || /^[+-]?PT?$/.test(value.trim())) return undefined;
  const [, sign, w, d, h, m, s] = match;
  const n = (part: string | undefined) => Number(part ?? 0);
  return {
    days: n(w) * 7 + n(d),
    ms: ((n(h) * 60 + n(m)) * 60 + n(s)) * 1000,
    negative: sign === "-",
  };
}

/** The event a VEVENT's properties describe, or why it cannot be read. */
function toEvent(props: ContentLine[]): IcalEvent | string {
  const first = (name: string) => props.find((p) => p.name === name);
  const uid = unescapeText(first("UID")?.value.trim() ?? "") || undefined;
  const label = uid ? `The event ${uid}` : "An event without a UID";
  const dtstart = first("DTSTART");
  if (!dtstart) return `${label} has no DTSTART`;
  const start = parseTime(dtstart);
  if (!start) return `${label} has a DTSTART that is not a date or a date-time`;
  const dtend = first("DTEND");
  const end = dtend ? parseTime(dtend) : undefined;
  if (dtend && !end) return `${label} has a DTEND that is not a date or a date-time`;
  const durationLine = first("DURATION");
  const duration = durationLine && !dtend ? parseDuration(durationLine.value) : undefined;
  if (durationLine && !dtend && (!duration || duration.negative))
    return `${label} has a DURATION that cannot be read`;
  const all = (name: string) => props.filter((p) => p.name === name);
  const rdates = parseTimes(all("RDATE"));
  const exdates = parseTimes(all("EXDATE"));
  if (!rdates || !exdates) return `${label} has an RDATE or EXDATE that is not a date or a date-time`;
  const recurrenceLine = first("RECURRENCE-ID");
  const recurrenceId = recurrenceLine ? parseTime(recurrenceLine) : undefined;
  if (recurrenceLine && !recurrenceId)
    return `${label} has a RECURRENCE-ID that is not a date or a date-time`;
  const summary = first("SUMMARY");
  return {
    uid,
    summary: summary ? unescapeText(summary.value) : undefined,
    start,
    end,
    duration,
    cancelled: first("STATUS")?.value.trim().toUpperCase() === "CANCELLED",
    transparent: first("TRANSP")?.value.trim().toUpperCase() === "TRANSPARENT",
    rrule: first("RRULE")?.value.trim(),
    rdates,
    exdates,
    recurrenceId,
  };
}

/** The events of an iCalendar feed; `IcalError` when the text is not one, or is cut off. */
export function parseIcal(text: string): ParsedFeed {
  const lines = unfold(text).filter((line) => line.trim() !== "");
  if (!/^BEGIN:VCALENDAR\s*$/i.test(lines[0] ?? "")) {
    throw new IcalError("The feed is not an iCalendar file: it does not start with BEGIN:VCALENDAR");
  }
  const stack: string[] = [];
  const events: IcalEvent[] = [];
  const skipped: string[] = [];
  let event: ContentLine[] | undefined;
  let broken = false;
  for (const [index, line] of lines.entries()) {
    const parsed = parseContentLine(line);
    if (parsed?.name === "BEGIN") {
      const component = parsed.value.trim().toUpperCase();
      if (stack.length === 0 && component !== "VCALENDAR") {
        throw new IcalError(`Line ${index + 1}: BEGIN:${component} outside a VCALENDAR`);
      }
      if (component === "VEVENT" && stack.length === 1) [event, broken] = [[], false];
      stack.push(component);
    } else if (parsed?.name === "END") {
      const component = parsed.value.trim().toUpperCase();
      if (stack.at(-1) !== component) {
        throw new IcalError(
          `Line ${index + 1}: END:${component} does not close BEGIN:${stack.at(-1) ?? "(none)"}`,
        );
      }
      stack.pop();
      if (component === "VEVENT" && stack.length === 1 && event) {
        const read = broken ? "An event has a line that cannot be read" : toEvent(event);
        if (typeof read === "string") skipped.push(read);
        else events.push(read);
        event = undefined;
      }
    } else if (event && stack.length === 2) {
      if (parsed) event.push(parsed);
      else broken = true;
    }
  }
  if (stack.length > 0) throw new IcalError(`The feed ends inside a ${stack.at(-1)}: it was cut off`);
  return { events, skipped };
}
