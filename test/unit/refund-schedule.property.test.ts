import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { refundAt, refundSchedule } from "../../src/domain/bookings/refund-schedule.ts";
import { cancellationPolicies } from "../../src/domain/listings/vocabulary.ts";

/**
 * Issue 13: the refund a cancellation earns is the listing's published policy (DESIGN §3), for any
 * zone, check-in date (across changes of clocks), booking and cancellation instant. The policies
 * and the reading of a wall clock in a zone are stated again here, apart from the app's code.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const ZONES = [
  "Europe/Lisbon",
  "America/New_York",
  "Pacific/Kiritimati",
  "Pacific/Pago_Pago",
  "Australia/Lord_Howe",
  "America/Santiago",
  "Pacific/Chatham",
  "Europe/Paris",
  "UTC",
] as const;

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes the zone's clock is ahead of UTC at `ms`, from the zone's own name for its offset. */
function offsetMinutes(ms: number, zone: string): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    offsetFormats.set(zone, format);
  }
  const name = format.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "";
  const match = /^GMT(?:([+-])(\d\d):(\d\d))?$/.exec(name);
  if (!match) throw new Error(`unexpected offset name ${name}`);
  const [, sign, hours = "0", minutes = "0"] = match;
  return (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

/**
 * When the clock in `zone` reads `date` `time`: of the instants at which it does, the first;
 * if it never does (the clocks jumped over it), the reading taken at the offset from before the
 * jump, which lands after it.
 */
function whenClockReads(date: string, time: string, zone: string): number {
  const reading = Date.parse(`${date}T${time}:00Z`);
  const offsets = new Set<number>();
  // The instant lies within 14 hours of the reading taken as UTC; no zone changes twice that near.
  for (let h = -15; h <= 15; h += 3) offsets.add(offsetMinutes(reading + h * HOUR, zone));
  const matches = [...offsets]
    .map((offset) => reading - offset * 60_000)
    .filter((ms) => offsetMinutes(ms, zone) * 60_000 === reading - ms)
    .sort((a, b) => a - b);
  return matches[0] ?? reading - offsetMinutes(reading - 16 * HOUR, zone) * 60_000;
}

const shiftDate = (date: string, days: number) =>
  new Date(Date.parse(date) + days * DAY).toISOString().slice(0, 10);

interface Case {
  policy: (typeof cancellationPolicies)[number];
  zone: string;
  checkIn: string;
  checkInTime: string;
  bookedAt: number;
  cancelledAt: number;
  total: number;
}

/**
 * DESIGN §3, as a guest reads it. "N days before check-in" is the listing's check-in time on the
 * date N days before, on the listing's clock; a refund holds until then, not at that moment.
 */
function publishedRefund(c: Case): number {
  const daysBefore = (n: number) => whenClockReads(shiftDate(c.checkIn, -n), c.checkInTime, c.zone);
  const t = c.cancelledAt;
  const full = c.total;
  const half = Math.ceil(c.total / 2); // half, rounded half up to a whole minor unit
  switch (c.policy) {
    case "flexible":
      return t < daysBefore(1) ? full : 0;
    case "moderate":
      return t < daysBefore(5) ? full : 0;
    case "firm":
      if (t < daysBefore(30)) return full;
      return t < daysBefore(7) ? half : 0;
    case "strict":
      // Within 48 hours of booking, and only while check-in is still 14 days or more away.
      if (t < c.bookedAt + 48 * HOUR && t < daysBefore(14)) return full;
      return t < daysBefore(7) ? half : 0;
  }
}

/** Dates on which the zone's offset changes, 2025 to 2030: check-ins are drawn near them. */
function offsetChanges(zone: string): string[] {
  const dates: string[] = [];
  let previous = offsetMinutes(Date.UTC(2025, 0, 1), zone);
  for (let ms = Date.UTC(2025, 0, 1) + HOUR; ms < Date.UTC(2031, 0, 1); ms += 6 * HOUR) {
    const offset = offsetMinutes(ms, zone);
    if (offset !== previous) dates.push(new Date(ms).toISOString().slice(0, 10));
    previous = offset;
  }
  return dates;
}

const changes = new Map<string, string[]>(ZONES.map((zone) => [zone, offsetChanges(zone)]));

/** The schedule the code under test states for a case. */
const scheduleOf = (c: Case) =>
  refundSchedule({
    policy: c.policy,
    timezone: c.zone,
    checkIn: c.checkIn,
    checkInTime: c.checkInTime,
    bookedAt: new Date(c.bookedAt),
    total: c.total,
  });

const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    policy: fc.constantFrom(...cancellationPolicies),
    zone: fc.constantFrom(...ZONES),
    pick: fc.nat(),
    anyDay: fc.integer({ min: 0, max: 6 * 365 - 1 }),
    // Land a deadline (1, 5, 7, 14 or 30 days before) on a change of clocks, give or take a day.
    deadlineDays: fc.constantFrom(0, 1, 5, 7, 14, 30),
    jitter: fc.integer({ min: -1, max: 1 }),
    nearChange: fc.boolean(),
    // Early hours often: that is when clocks change.
    hour: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 23 })),
    minute: fc.oneof(fc.constantFrom(0, 15, 30, 45), fc.integer({ min: 0, max: 59 })),
    bookedBefore: fc.oneof(
      fc.integer({ min: -12 * HOUR, max: 400 * DAY }),
      fc
        .constantFrom(...[1, 5, 7, 14, 16, 30, 32].map((d) => d * DAY))
        .chain((d) => fc.integer({ min: d - 3 * DAY, max: d + 3 * DAY })),
    ),
    // After booking: anywhere, or within a few minutes of one of the policy's deadlines.
    later: fc.integer({ min: 0, max: 420 * DAY }),
    boundary: fc.constantFrom("none", "d1", "d5", "d7", "d14", "d30", "grace"),
    nudge: fc.oneof(fc.constantFrom(-1, 0, 1), fc.integer({ min: -5 * 60_000, max: 5 * 60_000 })),
    total: fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 2_000_000_000 })),
  })
  .map((r) => {
    const zoneChanges = changes.get(r.zone) ?? [];
    const change = zoneChanges[r.pick % Math.max(zoneChanges.length, 1)];
    const checkIn =
      r.nearChange && change
        ? shiftDate(change, r.deadlineDays + r.jitter)
        : shiftDate("2025-01-01", r.anyDay);
    const checkInTime = `${String(r.hour).padStart(2, "0")}:${String(r.minute).padStart(2, "0")}`;
    const checkInAt = whenClockReads(checkIn, checkInTime, r.zone);
    const bookedAt = checkInAt - r.bookedBefore;
    const near =
      r.boundary === "none"
        ? undefined
        : r.boundary === "grace"
          ? bookedAt + 48 * HOUR
          : whenClockReads(shiftDate(checkIn, -Number(r.boundary.slice(1))), checkInTime, r.zone);
    const cancelledAt = near === undefined ? bookedAt + r.later : Math.max(bookedAt, near + r.nudge);
    return { policy: r.policy, zone: r.zone, checkIn, checkInTime, bookedAt, cancelledAt, total: r.total };
  });

describe("refund schedules (property-based)", () => {
  it("find in every zone the dates that clocks change on", () => {
    for (const zone of ["Europe/Lisbon", "America/New_York", "Australia/Lord_Howe"]) {
      expect(changes.get(zone)?.length, zone).toBe(12);
    }
    expect(changes.get("Pacific/Kiritimati")).toEqual([]);
  });

  it("refund what the listing's published policy promises, to the minor unit", () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const schedule = scheduleOf(c);
        expect(refundAt(schedule, new Date(c.cancelledAt))).toBe(publishedRefund(c));
      }),
      { numRuns: 2_000 },
    );
  }, 30_000);

  it("state each deadline as the listing's clock reads it, after booking, in falling shares", () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const schedule = scheduleOf(c);
        const last = schedule.steps.at(-1);
        expect(last).toMatchObject({ until: null, refundPercent: 0, refund: 0 });
        const dated = schedule.steps.slice(0, -1);
        let previous = c.bookedAt;
        let share = 101;
        for (const step of dated) {
          const until = Date.parse(step.until ?? "");
          expect(until).toBeGreaterThan(previous);
          expect(step.refundPercent).toBeLessThan(share);
          const offset = offsetMinutes(until, c.zone) * 60_000;
          expect(step.untilLocal).toBe(new Date(until + offset).toISOString().slice(0, 16));
          previous = until;
          share = step.refundPercent;
        }
      }),
      { numRuns: 1_000 },
    );
  }, 30_000);
});
