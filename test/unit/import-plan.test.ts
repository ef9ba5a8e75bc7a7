import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/bookings/local-time.ts";
import { datesWithin, planImport } from "../../src/domain/calendar-sync/import-plan.ts";

const WINDOW = { from: "2026-06-01", to: "2031-05-31" };

describe("datesWithin", () => {
  it("answers the dates of the ranges inside the window, sorted, each once, as a day-by-day scan does", () => {
    const base = "2026-05-20";
    const range = fc
      .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: -2, max: 20 }))
      .map(([start, length]) => ({ from: addDays(base, start), to: addDays(base, start + length) }));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 12 }), fc.integer({ min: 0, max: 30 }), (ranges, shift) => {
        const window = { from: addDays(base, shift), to: addDays(base, shift + 25) };
        const scan: string[] = [];
        for (let day = window.from; day < window.to; day = addDays(day, 1)) {
          if (ranges.some((r) => r.from <= day && day < r.to)) scan.push(day);
        }
        expect(datesWithin(ranges, window)).toEqual(scan);
      }),
    );
  });

  it("costs the window's length, not the ranges' total: 20,000 events of five years each", () => {
    // Day by day per range this is 36 million dates, and the test times out.
    const ranges = Array.from({ length: 20_000 }, (_, i) => ({
      from: addDays("2026-01-01", i % 90),
      to: addDays("2031-12-31", -(i % 90)),
    }));
    const dates = datesWithin(ranges, WINDOW);
    expect(dates).toHaveLength(1825);
    expect([dates[0], dates.at(-1)]).toEqual(["2026-06-01", "2031-05-30"]);
  });
});

describe("planImport", () => {
  it("blocks free dates, keeps its own, releases what the feed dropped, and reports the rest as conflicts", () => {
    expect(
      planImport({
        wanted: ["2026-07-01", "2026-07-02", "2026-07-03", "2026-07-04", "2026-07-05", "2026-07-06"],
        owned: new Set(["2026-07-01", "2026-07-10"]),
        others: [
          { day: "2026-07-03", importId: null },
          { day: "2026-07-04", importId: "another" },
        ],
        booked: new Set(["2026-07-05", "2026-07-06"]),
      }),
    ).toEqual({
      block: ["2026-07-02"],
      release: ["2026-07-10"],
      conflicts: [
        { from: "2026-07-03", to: "2026-07-04", reason: "blocked" },
        { from: "2026-07-04", to: "2026-07-05", reason: "imported" },
        { from: "2026-07-05", to: "2026-07-07", reason: "booked" },
      ],
    });
  });
});
