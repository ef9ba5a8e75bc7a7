import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  datesBetween,
  daysBetween,
  localDate,
  wallClock,
  zonedInstant,
} from "../../src/domain/bookings/local-time.ts";

// Expected instants checked against Temporal's "compatible" disambiguation (Node 24, --harmony-temporal).
describe("zonedInstant", () => {
  it.each([
    ["Europe/Paris", "2026-07-10", "15:00", "2026-07-10T13:00:00.000Z"],
    ["Pacific/Kiritimati", "2026-06-02", "15:00", "2026-06-02T01:00:00.000Z"],
    ["Pacific/Pago_Pago", "2026-06-01", "15:00", "2026-06-02T02:00:00.000Z"],
  ])("reads an ordinary time in %s", (zone, date, time, instant) => {
    expect(zonedInstant(date, time, zone).toISOString()).toBe(instant);
  });

  it.each([
    // Lisbon jumps from 01:00 to 02:00; New York from 02:00 to 03:00; Lord Howe from 02:00 to 02:30.
    ["Europe/Lisbon", "2026-03-29", "01:30", "2026-03-29T01:30:00.000Z", "2026-03-29T02:30:00"],
    ["America/New_York", "2026-03-08", "02:30", "2026-03-08T07:30:00.000Z", "2026-03-08T03:30:00"],
    ["Australia/Lord_Howe", "2026-10-04", "02:15", "2026-10-03T15:45:00.000Z", "2026-10-04T02:45:00"],
  ])(
    "reads a time skipped by spring-forward in %s with the offset before the jump",
    (zone, date, time, instant, after) => {
      const at = zonedInstant(date, time, zone);
      expect(at.toISOString()).toBe(instant);
      expect(wallClock(at, zone)).toBe(after);
    },
  );

  it.each([
    // Each reading happens twice: summer time first, then standard time.
    ["Europe/Lisbon", "2026-10-25", "01:30", "2026-10-25T00:30:00.000Z"],
    ["America/New_York", "2026-11-01", "01:30", "2026-11-01T05:30:00.000Z"],
    ["Australia/Lord_Howe", "2026-04-05", "01:45", "2026-04-04T14:45:00.000Z"],
  ])("takes the earlier of a time repeated by fall-back in %s", (zone, date, time, instant) => {
    const at = zonedInstant(date, time, zone);
    expect(at.toISOString()).toBe(instant);
    expect(wallClock(at, zone)).toBe(`${date}T${time}:00`);
    // The same reading half an hour (Lord Howe) or an hour later is the repeat.
    const repeat = zone === "Australia/Lord_Howe" ? 30 * 60_000 : 3_600_000;
    expect(wallClock(new Date(at.getTime() + repeat), zone)).toBe(`${date}T${time}:00`);
  });

  const zones = fc.constantFrom(
    "UTC",
    "Europe/Lisbon",
    "America/New_York",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Pacific/Chatham",
    "Asia/Kathmandu",
  );

  it("gives back the first instant of any reading a clock shows (property)", () => {
    // Whole minutes from 2025 to 2030: a wall-clock reading that happens is read back to its
    // first occurrence, never later than the instant it was taken from.
    const minutes = fc
      .integer({ min: 0, max: 6 * 366 * 24 * 60 })
      .map((m) => Date.UTC(2025, 0, 1) + m * 60_000);
    fc.assert(
      fc.property(zones, minutes, (zone, ms) => {
        const reading = wallClock(new Date(ms), zone);
        const at = zonedInstant(reading.slice(0, 10), reading.slice(11, 16), zone);
        expect(wallClock(at, zone)).toBe(reading);
        expect(at.getTime()).toBeLessThanOrEqual(ms);
        expect(ms - at.getTime()).toBeLessThanOrEqual(3_600_000);
      }),
      { numRuns: 500 },
    );
  }, 30_000);
});

describe("localDate", () => {
  it("tells the listing's date on either side of the date line", () => {
    const at = new Date("2026-06-01T10:30:00Z");
    expect(localDate(at, "Pacific/Kiritimati")).toBe("2026-06-02"); // UTC+14: 00:30
    expect(localDate(at, "UTC")).toBe("2026-06-01");
    expect(localDate(at, "Pacific/Pago_Pago")).toBe("2026-05-31"); // UTC−11: 23:30
  });

  it("turns the date at local midnight, not at UTC midnight", () => {
    const midnight = new Date("2026-06-01T10:00:00Z"); // 00:00 on 2 June in Kiritimati
    expect(localDate(new Date(midnight.getTime() - 1), "Pacific/Kiritimati")).toBe("2026-06-01");
    expect(localDate(midnight, "Pacific/Kiritimati")).toBe("2026-06-02");
    const samoa = new Date("2026-06-02T11:00:00Z"); // 00:00 on 2 June in Pago Pago
    expect(localDate(new Date(samoa.getTime() - 1), "Pacific/Pago_Pago")).toBe("2026-06-01");
    expect(localDate(samoa, "Pacific/Pago_Pago")).toBe("2026-06-02");
  });
});

describe("calendar arithmetic", () => {
  it("counts days across month ends, leap days and clock changes", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2026-03-29", -30)).toBe("2026-02-27");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
    expect(daysBetween("2026-07-10", "2026-07-01")).toBe(-9);
    expect(datesBetween("2026-10-24", "2026-10-27")).toEqual(["2026-10-24", "2026-10-25", "2026-10-26"]);
    expect(datesBetween("2026-07-01", "2026-07-01")).toEqual([]);
  });
});
