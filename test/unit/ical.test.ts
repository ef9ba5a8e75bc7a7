import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventNights } from "../../src/domain/calendar-sync/event-nights.ts";
import {
  IcalError,
  type IcalEvent,
  parseContentLine,
  parseDuration,
  parseIcal,
  unfold,
} from "../../src/domain/calendar-sync/ical-parse.ts";
import {
  type AllDayEvent,
  escapeText,
  foldLine,
  writeIcal,
} from "../../src/domain/calendar-sync/ical-write.ts";

const feed = (...lines: string[]) =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", ...lines, "END:VCALENDAR"].join("\r\n");
const vevent = (...lines: string[]) => ["BEGIN:VEVENT", ...lines, "END:VEVENT"].join("\r\n");

/** The nights of each event of `text` at a listing in `zone`, as `from/to`, or the reason it takes none. */
const nightsOf = (text: string, zone = "Europe/Paris") =>
  parseIcal(text).events.map((event) => {
    const nights = eventNights(event, zone);
    return typeof nights === "string" ? nights : `${nights.from}/${nights.to}`;
  });

const octets = (line: string) => new TextEncoder().encode(line).byteLength;

describe("writeIcal", () => {
  const events: AllDayEvent[] = [
    { uid: "a1@stayedge", from: "2026-07-10", to: "2026-07-13", summary: "Reserved" },
    { uid: "b2@stayedge", from: "2026-07-20", to: "2026-07-21", summary: "Not available" },
  ];
  const text = writeIcal({ name: "Loft, Paris; 4th", stamp: new Date("2026-06-01T12:00:00.123Z"), events });

  it("writes a VCALENDAR with PRODID and VERSION, and one all-day VEVENT per range", () => {
    expect(text.split("\r\n")).toEqual([
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//stayedge//Calendar export 1.0//EN",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "X-WR-CALNAME:Loft\\, Paris\\; 4th",
      "BEGIN:VEVENT",
      "UID:a1@stayedge",
      "DTSTAMP:20260601T120000Z",
      "DTSTART;VALUE=DATE:20260710",
      "DTEND;VALUE=DATE:20260713",
      "SUMMARY:Reserved",
      "TRANSP:OPAQUE",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:b2@stayedge",
      "DTSTAMP:20260601T120000Z",
      "DTSTART;VALUE=DATE:20260720",
      "DTEND;VALUE=DATE:20260721",
      "SUMMARY:Not available",
      "TRANSP:OPAQUE",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ]);
  });

  it("ends every line with CRLF, never a bare LF", () => {
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it("escapes backslashes, semicolons, commas and line breaks in text", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
    // Other control characters may not be in TEXT at all; a tab may.
    expect(escapeText("Loft\u0000 by\u0007 the\u001b canal\u007f\tnow")).toBe("Loft by the canal\tnow");
  });

  it("folds long lines at 75 octets, never inside a UTF-8 character", () => {
    const line = `SUMMARY:${"Réservé – 予約済み ".repeat(12)}`;
    const folded = foldLine(line);
    const pieces = folded.split("\r\n");
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) expect(octets(piece)).toBeLessThanOrEqual(75);
    for (const piece of pieces.slice(1)) expect(piece.startsWith(" ")).toBe(true);
    expect(unfold(folded)).toEqual([line]);
    expect(foldLine("X".repeat(75))).toBe("X".repeat(75));
    expect(foldLine("X".repeat(76))).toBe(`${"X".repeat(75)}\r\n X`);
  });

  it("round-trips through the parser: the same ranges, UIDs and summaries", () => {
    const day = fc
      .integer({ min: 0, max: 3000 })
      .map((n) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    const event = fc.record({
      uid: fc.string({ minLength: 1, maxLength: 90 }).filter((s) => s.trim() === s && !/[\r\n]/.test(s)),
      from: day,
      nights: fc.integer({ min: 1, max: 60 }),
      summary: fc.string({ maxLength: 200 }).filter((s) => !/\r/.test(s)),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 8 }), fc.string({ maxLength: 120 }), (drawn, name) => {
        const written = drawn.map(({ uid, from, nights, summary }) => ({
          uid,
          from,
          to: new Date(Date.parse(from) + nights * 86_400_000).toISOString().slice(0, 10),
          summary,
        }));
        const ics = writeIcal({ name, stamp: new Date("2026-06-01T00:00:00Z"), events: written });
        for (const line of ics.split("\r\n")) expect(octets(line)).toBeLessThanOrEqual(75);
        const read = parseIcal(ics);
        expect(read.skipped).toEqual([]);
        expect(
          read.events.map((e) => {
            const nights = eventNights(e, "Pacific/Kiritimati");
            return { uid: e.uid, summary: e.summary, nights };
          }),
        ).toEqual(written.map(({ uid, from, to, summary }) => ({ uid, summary, nights: { from, to } })));
      }),
      { seed: 5545, numRuns: 200 },
    );
  });
});

describe("parseIcal", () => {
  it("reads all-day events: DTEND is exclusive", () => {
    const text = feed(
      vevent("UID:1", "DTSTART;VALUE=DATE:20260710", "DTEND;VALUE=DATE:20260713", "SUMMARY:Reserved"),
    );
    expect(parseIcal(text).events).toEqual<IcalEvent[]>([
      {
        uid: "1",
        summary: "Reserved",
        start: { kind: "date", date: "2026-07-10" },
        end: { kind: "date", date: "2026-07-13" },
        duration: undefined,
        cancelled: false,
        transparent: false,
        rrule: undefined,
        rdates: [],
        exdates: [],
        recurrenceId: undefined,
      },
    ]);
    expect(nightsOf(text)).toEqual(["2026-07-10/2026-07-13"]);
  });

  it("unfolds lines folded with a space or a tab, after CRLF or a bare LF", () => {
    const text =
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\r\nUID:long-\r\n uid\n\tpart\r\nDTSTART;VALUE=DATE:2026\r\n 0710\nEND:VEVENT\nEND:VCALENDAR\n";
    const [event] = parseIcal(text).events;
    expect(event?.uid).toBe("long-uidpart");
    expect(nightsOf(text)).toEqual(["2026-07-10/2026-07-11"]);
  });

  it("reads a missing DTEND as one day", () => {
    expect(nightsOf(feed(vevent("UID:1", "DTSTART;VALUE=DATE:20260710")))).toEqual(["2026-07-10/2026-07-11"]);
    expect(nightsOf(feed(vevent("UID:1", "DTSTART:20260710")))).toEqual(["2026-07-10/2026-07-11"]);
  });

  it("reads DURATION in days, weeks and hours", () => {
    expect(parseDuration("P1W2DT3H4M5S")).toEqual({ days: 9, ms: 11_045_000, negative: false });
    expect(parseDuration("-PT15M")).toEqual({ days: 0, ms: 900_000, negative: true });
    expect(parseDuration("P")).toBeUndefined();
    expect(parseDuration("PT")).toBeUndefined();
    expect(parseDuration("3D")).toBeUndefined();
    expect(
      nightsOf(
        feed(
          vevent("UID:a", "DTSTART;VALUE=DATE:20260710", "DURATION:P3D"),
          vevent("UID:b", "DTSTART;VALUE=DATE:20260710", "DURATION:P1W"),
          vevent("UID:c", "DTSTART:20260710T150000Z", "DURATION:PT68H"),
        ),
      ),
    ).toEqual(["2026-07-10/2026-07-13", "2026-07-10/2026-07-17", "2026-07-10/2026-07-13"]);
  });

  it("reads date-times as the listing's local dates: UTC, TZID and floating", () => {
    const text = feed(
      // 15:00 → 11:00 in Paris: the nights of the 10th, 11th and 12th.
      vevent("UID:utc", "DTSTART:20260710T130000Z", "DTEND:20260713T090000Z"),
      // 23:30 UTC on the 9th is already the 10th in Paris.
      vevent("UID:late", "DTSTART:20260709T233000Z", "DTEND:20260711T080000Z"),
      // 20:00 in New York on the 10th is 02:00 on the 11th in Paris.
      vevent(
        "UID:ny",
        "DTSTART;TZID=America/New_York:20260710T200000",
        "DTEND;TZID=America/New_York:20260712T100000",
      ),
      vevent(
        "UID:moz",
        "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20260710T150000",
        'DTEND;TZID="/mozilla.org/20050126_1/Europe/Berlin":20260711T100000',
      ),
      // Floating, and a zone the runtime does not know: read on the listing's clock.
      vevent("UID:floating", "DTSTART:20260710T150000", "DTEND:20260712T110000"),
      vevent(
        "UID:windows",
        "DTSTART;TZID=W. Europe Standard Time:20260710T150000",
        "DTEND;TZID=W. Europe Standard Time:20260711T100000",
      ),
      // An event within one day takes its night.
      vevent("UID:short", "DTSTART:20260720T100000Z", "DTEND:20260720T120000Z"),
    );
    expect(nightsOf(text)).toEqual([
      "2026-07-10/2026-07-13",
      "2026-07-10/2026-07-11",
      "2026-07-11/2026-07-12",
      "2026-07-10/2026-07-11",
      "2026-07-10/2026-07-12",
      "2026-07-10/2026-07-11",
      "2026-07-20/2026-07-21",
    ]);
  });

  it("marks cancelled, free and recurring events, and unescapes text", () => {
    const [cancelled, free, recurring] = parseIcal(
      feed(
        vevent("UID:c", "DTSTART;VALUE=DATE:20260710", "STATUS:CANCELLED"),
        vevent("UID:f", "DTSTART;VALUE=DATE:20260710", "TRANSP:TRANSPARENT"),
        vevent(
          "UID:r",
          "DTSTART;VALUE=DATE:20260710",
          "RRULE:FREQ=WEEKLY",
          "SUMMARY:Closed\\, see notes\\nthanks\\;",
        ),
      ),
    ).events;
    expect([cancelled?.cancelled, free?.transparent, recurring?.rrule]).toEqual([true, true, "FREQ=WEEKLY"]);
    expect(recurring?.summary).toBe("Closed, see notes\nthanks;");
  });

  it("ignores other components, alarms inside events, and unknown properties", () => {
    const text = feed(
      "X-WR-CALNAME:Airbnb",
      "BEGIN:VTIMEZONE",
      "TZID:Europe/Paris",
      "BEGIN:STANDARD",
      "DTSTART:19701025T030000",
      "END:STANDARD",
      "END:VTIMEZONE",
      "BEGIN:VTODO",
      "DTSTART;VALUE=DATE:20260101",
      "END:VTODO",
      vevent(
        "UID:1",
        "DTSTART;VALUE=DATE:20260710",
        'X-AIRBNB-THING;X-PARAM="a;b:c":value',
        "BEGIN:VALARM",
        "TRIGGER:-PT15M",
        "DTSTART:20990101T000000Z",
        "END:VALARM",
        "DTEND;VALUE=DATE:20260712",
      ),
    );
    expect(nightsOf(text)).toEqual(["2026-07-10/2026-07-12"]);
  });

  it("skips an event it cannot read, says why, and reads the others", () => {
    const read = parseIcal(
      feed(
        vevent("UID:no-start", "SUMMARY:x"),
        vevent("UID:bad-start", "DTSTART;VALUE=DATE:20260230"),
        vevent("UID:bad-end", "DTSTART;VALUE=DATE:20260710", "DTEND:tomorrow"),
        vevent("UID:bad-duration", "DTSTART;VALUE=DATE:20260710", "DURATION:-P1D"),
        vevent("DTSTART;VALUE=DATE:20260710", "this line is not a content line"),
        vevent("UID:good", "DTSTART;VALUE=DATE:20260710"),
      ),
    );
    expect(read.events.map((e) => e.uid)).toEqual(["good"]);
    expect(read.skipped).toEqual([
      "The event no-start has no DTSTART",
      "The event bad-start has a DTSTART that is not a date or a date-time",
      "The event bad-end has a DTEND that is not a date or a date-time",
      "The event bad-duration has a DURATION that cannot be read",
      "An event has a line that cannot be read",
    ]);
  });

  it("says an event that ends before it starts takes no nights", () => {
    expect(
      nightsOf(feed(vevent("UID:x", "DTSTART;VALUE=DATE:20260710", "DTEND;VALUE=DATE:20260701"))),
    ).toEqual(["The event x ends before it starts"]);
  });

  it("refuses text that is not a calendar, or is cut off, rather than reading no events", () => {
    const refused = (text: string) => () => parseIcal(text);
    expect(refused("")).toThrow(IcalError);
    expect(refused("<html><body>Sign in</body></html>")).toThrow(/does not start with BEGIN:VCALENDAR/);
    expect(refused('{"events": []}')).toThrow(IcalError);
    expect(refused(feed(vevent("UID:1", "DTSTART;VALUE=DATE:20260710")).slice(0, 60))).toThrow(/cut off/);
    expect(refused("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n")).toThrow(
      /END:VCALENDAR does not close BEGIN:VEVENT/,
    );
    expect(refused("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n")).toThrow(
      /outside a VCALENDAR/,
    );
  });

  it("reads an empty calendar as no events", () => {
    expect(parseIcal(feed())).toEqual({ events: [], skipped: [] });
  });

  it("reads content lines with quoted and multiple parameter values", () => {
    expect(
      parseContentLine('ATTENDEE;CN="Doe, Jane";ROLE=REQ-PARTICIPANT,CHAIR:mailto:j@example.com'),
    ).toEqual({
      name: "ATTENDEE",
      params: new Map([
        ["CN", ["Doe, Jane"]],
        ["ROLE", ["REQ-PARTICIPANT", "CHAIR"]],
      ]),
      value: "mailto:j@example.com",
    });
    expect(parseContentLine("no colon here")).toBeUndefined();
    expect(parseContentLine('X;P="unclosed:value')).toBeUndefined();
  });
});
