import { describe, expect, it } from "vitest";
import { changeSpan, dayWrites, planChanges } from "../../src/domain/bookings/calendar-changes.ts";
import { isCalendarDate, rangeProblem, readRange } from "../../src/domain/bookings/calendar-rules.ts";

const range = (from: string, to: string) => ({ from, to });

describe("planChanges", () => {
  it("asks each named date for what its ranges say, leaving the rest of it as it is", () => {
    const { wanted, problems } = planChanges({
      block: [range("2027-01-01", "2027-01-03")],
      setPrice: [{ ...range("2027-01-02", "2027-01-04"), price: 900 }],
      clearPrice: [range("2027-01-05", "2027-01-06")],
    });
    expect(problems).toEqual([]);
    expect(Object.fromEntries(wanted)).toEqual({
      "2027-01-01": { blocked: true },
      "2027-01-02": { blocked: true, price: 900 },
      "2027-01-03": { price: 900 },
      "2027-01-05": { price: null },
    });
  });

  it("names the range that gives a date a second, different answer", () => {
    const problems = (changes: Parameters<typeof planChanges>[0]) =>
      planChanges(changes).problems.map((p) => p.path.join("."));
    expect(
      problems({ block: [range("2027-01-01", "2027-01-03")], unblock: [range("2027-01-02", "2027-01-04")] }),
    ).toEqual(["unblock.0"]);
    expect(
      problems({
        setPrice: [
          { ...range("2027-01-01", "2027-01-03"), price: 1 },
          { ...range("2027-01-02", "2027-01-04"), price: 1 },
          { ...range("2027-01-02", "2027-01-04"), price: 2 },
        ],
      }),
    ).toEqual(["setPrice.2"]);
    expect(
      problems({ block: [range("2027-01-01", "2027-01-03"), range("2027-01-02", "2027-01-05")] }),
    ).toEqual([]);
  });

  it("needs a range, each ending after it starts, all within 366 days", () => {
    const paths = (changes: Parameters<typeof planChanges>[0]) =>
      planChanges(changes).problems.map((p) => p.path.join("."));
    expect(paths({})).toEqual([""]);
    expect(paths({ block: [], unblock: [] })).toEqual([""]);
    expect(paths({ block: [range("2027-01-02", "2027-01-02")] })).toEqual(["block.0.to"]);
    expect(paths({ block: [range("2027-01-01", "2028-01-02")] })).toEqual([]);
    expect(paths({ block: [range("2027-01-01", "2028-01-03")] })).toEqual(["block.0.to"]);
    expect(
      paths({ unblock: [range("2027-12-30", "2028-01-03")], block: [range("2027-01-01", "2027-01-02")] }),
    ).toEqual(["unblock.0.to"]);
  });

  it("leaves out ranges whose dates are not dates (the schema names them)", () => {
    expect(planChanges({ block: [range("2027-02-30", "2027-03-02")] }).problems).toEqual([]);
    expect(planChanges({ block: [range("2027-01-01\u0000", "2027-01-02")] }).wanted.size).toBe(0);
  });
});

describe("dayWrites", () => {
  it("writes only what changes, and deletes rows that no longer mean anything", () => {
    const existing = [
      { day: "2027-01-01", blocked: true, price: null },
      { day: "2027-01-02", blocked: true, price: 500 },
      { day: "2027-01-03", blocked: false, price: 500 },
    ];
    const wanted = new Map([
      ["2027-01-01", { blocked: false }],
      ["2027-01-02", { blocked: false }],
      ["2027-01-03", { price: 500 }],
      ["2027-01-04", { blocked: false, price: null }],
      ["2027-01-05", { price: 700 }],
    ]);
    expect(dayWrites(existing, wanted)).toEqual({
      upserts: [
        { day: "2027-01-02", blocked: false, price: 500 },
        { day: "2027-01-05", blocked: false, price: 700 },
      ],
      deletes: ["2027-01-01"],
    });
  });

  it("gives the host a date an imported calendar blocked once the host blocks or opens it; a price keeps its owner", () => {
    const existing = [
      { day: "2027-01-01", blocked: true, price: null, importId: "feed" },
      { day: "2027-01-02", blocked: true, price: null, importId: "feed" },
      { day: "2027-01-03", blocked: true, price: 500, importId: "feed" },
      { day: "2027-01-04", blocked: true, price: null, importId: "feed" },
    ];
    const wanted = new Map([
      ["2027-01-01", { blocked: true }],
      ["2027-01-02", { blocked: false }],
      ["2027-01-03", { blocked: false }],
      ["2027-01-04", { price: 700 }],
    ]);
    expect(dayWrites(existing, wanted)).toEqual({
      upserts: [
        { day: "2027-01-01", blocked: true, price: null },
        { day: "2027-01-03", blocked: false, price: 500 },
        { day: "2027-01-04", blocked: true, price: 700, importId: "feed" },
      ],
      deletes: ["2027-01-02"],
    });
  });
});

describe("calendar ranges", () => {
  it("spans a change from its earliest date to its last end", () => {
    expect(
      changeSpan({
        unblock: [range("2027-01-05", "2027-01-06")],
        setPrice: [{ ...range("2027-01-02", "2027-01-04"), price: 1 }],
      }),
    ).toEqual(range("2027-01-02", "2027-01-06"));
  });

  it("reads 30 days from today by default, at most 366, and refuses an end on or before the start", () => {
    expect(readRange("2027-01-01", {})).toEqual(range("2027-01-01", "2027-01-31"));
    expect(readRange("2027-01-01", { from: "2026-12-01" })).toEqual(range("2026-12-01", "2026-12-31"));
    expect(rangeProblem(range("2027-01-01", "2028-01-02"))).toBeUndefined();
    expect(rangeProblem(range("2027-01-01", "2028-01-03"))).toMatch(/366 days/);
    expect(rangeProblem(range("2027-01-01", "2027-01-01"))).toBe("Must be after 2027-01-01");
    expect(() => readRange("2027-01-01", { to: "2026-12-31" })).toThrow("Must be after 2027-01-01");
  });

  it("knows a date from text that only looks like one", () => {
    expect(["2028-02-29", "0001-01-01"].map(isCalendarDate)).toEqual([true, true]);
    expect(["2027-02-29", "2027-13-01", "2027-1-01", "2027-01-01T00:00"].map(isCalendarDate)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
