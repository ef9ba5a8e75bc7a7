/**
 * Writes an iCalendar (RFC 5545) feed of all-day events: CRLF line endings, lines folded at 75
 * octets (never inside a UTF-8 character), TEXT values escaped.
 */

export interface AllDayEvent {
  /** Stable across fetches, so calendar apps update the event instead of adding another. */
  uid: string;
  /** The first date; `to` is the day after the last (DTEND of an all-day event is exclusive). */
  from: string;
  to: string;
  summary: string;
}

export const PRODID = "-//stayedge//Calendar export 1.0//EN";

/**
 * RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks escaped, and the other control
 * characters (which TEXT may not hold; a tab may stay) left out.
 */
export function escapeText(text: string): string {
  return (
    text
      .replace(/\\/g, "\\\\")
      .replace(/;/g, "\\;")
      .replace(/,/g, "\\,")
      .replace(/\r\n|\r|\n/g, "\\n")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to drop
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
  );
}

const encoder = new TextEncoder();

/**
 * The line in pieces of at most 75 octets, each continuation starting with a space (which counts),
 * cut between characters only.
 */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let piece = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).byteLength;
    if (octets + size > 75) {
      pieces.push(piece);
      piece = " ";
      octets = 1;
    }
    piece += char;
    octets += size;
  }
  pieces.push(piece);
  return pieces.join("\r\n");
}

const basicDate = (date: string) => date.replaceAll("-", "");
/** `20260601T120000Z`: DTSTAMP is UTC, to the second. */
const basicInstant = (at: Date) => `${at.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;

/** The calendar, named `name`, holding `events`, each stamped `stamp`. */
export function writeIcal({
  name,
  stamp,
  events,
}: {
  name: string;
  stamp: Date;
  events: AllDayEvent[];
}): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${PRODID}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(name)}`,
    ...events.flatMap((event) => [
      "BEGIN:VEVENT",
      `UID:${escapeText(event.uid)}`,
      `DTSTAMP:${basicInstant(stamp)}`,
      `DTSTART;VALUE=DATE:${basicDate(event.from)}`,
      `DTEND;VALUE=DATE:${basicDate(event.to)}`,
      `SUMMARY:${escapeText(event.summary)}`,
      "TRANSP:OPAQUE",
      "END:VEVENT",
    ]),
    "END:VCALENDAR",
  ];
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
