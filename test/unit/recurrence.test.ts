import { describe, expect, it } from "vitest";
import type { DateRange } from "../../src/domain/bookings/calendar-rules.ts";
import { eventNights } from "../../src/domain/calendar-sync/event-nights.ts";
import { parseIcal } from "../../src/domain/calendar-sync/ical-parse.ts";
import { expandRecurrences, type RecurrenceBudget } from "../../src/domain/calendar-sync/recurrence.ts";

const feed = (...lines: string[]) =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", ...lines, "END:VCALENDAR", ""].join("\r\n");
const vevent = (...lines: string[]) => ["BEGIN:VEVENT", "DTSTAMP:20260601T101500Z", ...lines, "END:VEVENT"];

const range = (n: number) => Array.from({ length: n }, (_, i) => i).join(",");
const JUNE_2026: DateRange = { from: "2026-06-01", to: "2026-07-01" };
const FIVE_YEARS: DateRange = { from: "2026-06-01", to: "2031-06-01" };

/** The nights each occurrence of `text` takes at a listing in `zone`, as `from/to`, and the notes. */
function expand(
  text: string,
  {
    zone = "Europe/Paris",
    window = FIVE_YEARS,
    budget,
  }: { zone?: string; window?: DateRange; budget?: RecurrenceBudget } = {},
) {
  const { events, notes } = expandRecurrences(parseIcal(text).events, {
    timeZone: zone,
    window,
    ...(budget && { budget }),
  });
  const nights = events
    .filter((event) => !event.cancelled)
    .map((event) => {
      const range = eventNights(event, zone);
      return typeof range === "string" ? range : `${range.from}/${range.to}`;
    });
  return { nights, notes };
}

describe("expandRecurrences", () => {
  it("reads a Google Calendar export: weekly all-day with UNTIL and EXDATE, monthly timed with moved and cancelled occurrences", () => {
    const text = feed(
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "X-WR-CALNAME:Cottage",
      "X-WR-TIMEZONE:Europe/Paris",
      "BEGIN:VTIMEZONE",
      "TZID:Europe/Paris",
      "BEGIN:DAYLIGHT",
      "TZOFFSETFROM:+0100",
      "TZOFFSETTO:+0200",
      "DTSTART:19700329T020000",
      "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
      "END:DAYLIGHT",
      "BEGIN:STANDARD",
      "TZOFFSETFROM:+0200",
      "TZOFFSETTO:+0100",
      "DTSTART:19701025T030000",
      "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
      "END:STANDARD",
      "END:VTIMEZONE",
      ...vevent(
        "DTSTART;VALUE=DATE:20260606",
        "DTEND;VALUE=DATE:20260608",
        "RRULE:FREQ=WEEKLY;UNTIL=20260627;BYDAY=SA",
        "EXDATE;VALUE=DATE:20260613",
        "UID:2k3j4h5g6f7d8s9a@google.com",
        "STATUS:CONFIRMED",
        "SUMMARY:Owner weekends",
        "TRANSP:OPAQUE",
      ),
      ...vevent(
        "DTSTART;TZID=Europe/Paris:20260701T150000",
        "DTEND;TZID=Europe/Paris:20260703T100000",
        "RRULE:FREQ=MONTHLY;COUNT=4",
        "UID:monthly-crew@google.com",
        "SUMMARY:Cleaning crew",
      ),
      ...vevent(
        "DTSTART;TZID=Europe/Paris:20260810T150000",
        "DTEND;TZID=Europe/Paris:20260812T100000",
        "RECURRENCE-ID;TZID=Europe/Paris:20260801T150000",
        "UID:monthly-crew@google.com",
        "SUMMARY:Cleaning crew (moved)",
      ),
      ...vevent(
        "DTSTART;TZID=Europe/Paris:20260901T150000",
        "DTEND;TZID=Europe/Paris:20260903T100000",
        "RECURRENCE-ID;TZID=Europe/Paris:20260901T150000",
        "STATUS:CANCELLED",
        "UID:monthly-crew@google.com",
      ),
    );
    expect(expand(text)).toEqual({
      nights: [
        "2026-06-06/2026-06-08",
        "2026-06-20/2026-06-22",
        "2026-06-27/2026-06-29",
        "2026-07-01/2026-07-03",
        "2026-10-01/2026-10-03",
        "2026-08-10/2026-08-12",
      ],
      notes: [],
    });
  });

  it("recurs on the event's clock across a daylight-saving change, and reads a UTC UNTIL on it", () => {
    // 00:30 in New York: on UTC's clock the third one would fall on the 7th once clocks go back.
    const text = feed(
      ...vevent(
        "UID:late",
        "DTSTART;TZID=America/New_York:20261025T003000",
        "DTEND;TZID=America/New_York:20261025T013000",
        "RRULE:FREQ=WEEKLY;UNTIL=20261108T053000Z",
      ),
    );
    expect(expand(text, { zone: "America/New_York" }).nights).toEqual([
      "2026-10-25/2026-10-26",
      "2026-11-01/2026-11-02",
      "2026-11-08/2026-11-09",
    ]);
    // Google writes UNTIL as the last occurrence's instant: 15:00 in Berlin is 13:00 UTC in summer.
    const berlin = feed(
      ...vevent(
        "UID:berlin",
        "DTSTART;TZID=Europe/Berlin:20260608T150000",
        "DTEND;TZID=Europe/Berlin:20260610T110000",
        "RRULE:FREQ=WEEKLY;UNTIL=20260622T130000Z",
        "EXDATE;TZID=Europe/Berlin:20260615T150000",
      ),
    );
    expect(expand(berlin).nights).toEqual(["2026-06-08/2026-06-10", "2026-06-22/2026-06-24"]);
    // An EXDATE written as a date takes out the timed occurrence on that date.
    expect(
      expand(berlin.replace("EXDATE;TZID=Europe/Berlin:20260615T150000", "EXDATE;VALUE=DATE:20260622"))
        .nights,
    ).toEqual(["2026-06-08/2026-06-10", "2026-06-15/2026-06-17"]);
  });

  it("adds RDATEs (lists, periods) as long as the first occurrence, and keeps DTSTART when no rule date matches it", () => {
    const text = feed(
      ...vevent(
        "UID:extra",
        "DTSTART;VALUE=DATE:20260702",
        "DTEND;VALUE=DATE:20260704",
        "RDATE;VALUE=DATE:20260720,20260801",
        "RDATE;VALUE=PERIOD:20260901T120000Z/20260902T120000Z",
      ),
      ...vevent("UID:off-rule", "DTSTART;VALUE=DATE:20260701", "RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=2"),
    );
    expect(expand(text).nights).toEqual([
      "2026-07-02/2026-07-04",
      "2026-07-20/2026-07-22",
      "2026-08-01/2026-08-03",
      "2026-09-01/2026-09-03",
      "2026-07-01/2026-07-02",
      "2026-07-03/2026-07-04",
      "2026-07-10/2026-07-11",
    ]);
  });

  it("expands a rule without an end only as far as the window, however long ago it began", () => {
    const text = feed(
      ...vevent(
        "UID:forever",
        "DTSTART;VALUE=DATE:20200104",
        "DTEND;VALUE=DATE:20200105",
        "RRULE:FREQ=WEEKLY",
      ),
    );
    expect(expand(text, { window: JUNE_2026 }).nights).toEqual([
      "2020-01-04/2020-01-05",
      "2026-05-30/2026-05-31",
      "2026-06-06/2026-06-07",
      "2026-06-13/2026-06-14",
      "2026-06-20/2026-06-21",
      "2026-06-27/2026-06-28",
    ]);
  });

  it("keeps the first date of a rule it cannot read or that recurs more often than daily, and says so", () => {
    const text = feed(
      ...vevent("UID:odd", "DTSTART;VALUE=DATE:20260710", "RRULE:FREQ=SOMETIMES"),
      ...vevent("UID:setpos", "DTSTART;VALUE=DATE:20260720", "RRULE:FREQ=MONTHLY;BYSETPOS=400"),
      // rrule 2.8 never returns from this one.
      ...vevent("UID:hourly", "DTSTART:20260801T100000Z", "RRULE:FREQ=MINUTELY;INTERVAL=60;BYMINUTE=5"),
    );
    const { nights, notes } = expand(text);
    expect(nights).toEqual(["2026-07-10/2026-07-11", "2026-07-20/2026-07-21", "2026-08-01/2026-08-02"]);
    expect(notes).toEqual([
      "3 recurrence rule(s) could not be read or recur more often than daily, only their first date is blocked: odd, setpos, hourly",
    ]);
  });

  it("stops following a rule that matches no date instead of walking to the year 9999, and expands the others", () => {
    // Without the budget rrule spends seconds on each of these (a test times out).
    const text = feed(
      ...vevent("UID:never-1", "DTSTART;VALUE=DATE:20260601", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"),
      ...vevent("UID:never-2", "DTSTART;VALUE=DATE:20260601", "RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=TU"),
      // 24 × 60 × 60 times a day since 1500: 10^10 candidates before the window.
      ...vevent(
        "UID:busy",
        "DTSTART:15000601T100000Z",
        `RRULE:FREQ=YEARLY;BYHOUR=${range(24)};BYMINUTE=${range(60)};BYSECOND=${range(60)}`,
      ),
      ...vevent("UID:fine", "DTSTART;VALUE=DATE:20260701", "RRULE:FREQ=MONTHLY;COUNT=3"),
    );
    const { nights, notes } = expand(text);
    expect(nights).toEqual([
      "2026-06-01/2026-06-02",
      "2026-06-01/2026-06-02",
      "1500-06-01/1500-06-02",
      "2026-07-01/2026-07-02",
      "2026-08-01/2026-08-02",
      "2026-09-01/2026-09-02",
    ]);
    expect(notes).toEqual([
      expect.stringMatching(/^3 recurring event\(s\) could not be followed to the end/),
    ]);
  });

  it("stops at the feed's budget of candidates, and says so", () => {
    const text = feed(...vevent("UID:daily", "DTSTART;VALUE=DATE:20260601", "RRULE:FREQ=DAILY"));
    const { nights, notes } = expand(text, { budget: { steps: 1_000_000, candidates: 3 } });
    expect(nights).toEqual(["2026-06-01/2026-06-02", "2026-06-02/2026-06-03", "2026-06-03/2026-06-04"]);
    expect(notes).toHaveLength(1);
  });
});
