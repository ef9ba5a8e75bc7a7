import { describe, expect, it } from "vitest";
import { eventNights } from "../../src/domain/calendar-sync/event-nights.ts";
import { parseIcal } from "../../src/domain/calendar-sync/ical-parse.ts";
import { expandRecurrences } from "../../src/domain/calendar-sync/recurrence.ts";

// rrule reaches workerd as its ES module and Node as its CommonJS bundle: this runs the first.
describe("recurring imported events in workerd", () => {
  it("expands a weekly rule with an EXDATE, and stops a rule that matches no date", () => {
    const text = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "BEGIN:VEVENT",
      "UID:weekly",
      "DTSTART;TZID=Europe/Paris:20260606T150000",
      "DTEND;TZID=Europe/Paris:20260608T100000",
      "RRULE:FREQ=WEEKLY;COUNT=3",
      "EXDATE;TZID=Europe/Paris:20260613T150000",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:never",
      "DTSTART;VALUE=DATE:20260601",
      "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
      "END:VEVENT",
      "END:VCALENDAR",
    ].join("\r\n");
    const { events, notes } = expandRecurrences(parseIcal(text).events, {
      timeZone: "Europe/Paris",
      window: { from: "2026-06-01", to: "2031-06-01" },
    });
    const nights = events.map((event) => eventNights(event, "Europe/Paris"));
    expect(nights).toEqual([
      { from: "2026-06-06", to: "2026-06-08" },
      { from: "2026-06-20", to: "2026-06-22" },
      { from: "2026-06-01", to: "2026-06-02" },
    ]);
    expect(notes).toHaveLength(1);
  });
});
