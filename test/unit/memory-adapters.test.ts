import { describe, expect, it } from "vitest";
import { memoryCache, memoryCalendarLock, memoryRateLimiter } from "../../src/adapters/memory.ts";
import { uuidv7Ids } from "../../src/adapters/system.ts";
import { manualClock } from "../support/test-app.ts";

describe("memoryCache", () => {
  it("returns what was stored until its TTL has passed, and nothing after", async () => {
    const clock = manualClock();
    const cache = memoryCache(clock);
    await cache.set("listing:1", { title: "Loft" }, 30);
    clock.advance(30_000);
    expect(await cache.get("listing:1")).toEqual({ title: "Loft" });
    clock.advance(1);
    expect(await cache.get("listing:1")).toBeUndefined();
  });

  it("honours each entry's own TTL, however short", async () => {
    const clock = manualClock();
    const cache = memoryCache(clock);
    await cache.set("search:a", { items: [] }, 15);
    await cache.set("listing:a", { title: "Loft" }, 300);
    clock.advance(15_001);
    expect(await cache.get("search:a")).toBeUndefined();
    expect(await cache.get("listing:a")).toEqual({ title: "Loft" });
  });

  it("keeps any JSON value, the first time it is set", async () => {
    const cache = memoryCache(manualClock());
    for (const value of ["text", 0, false, null, [1, 2], { a: { b: 1 } }]) {
      await cache.set("k", value, 60);
      expect(await cache.get("k")).toEqual(value);
    }
  });

  it("evicts the least recently used entry when full", async () => {
    const cache = memoryCache(manualClock(), 2);
    await cache.set("a", 1, 60);
    await cache.set("b", 2, 60);
    await cache.get("a");
    await cache.set("c", 3, 60);
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("a")).toBe(1);
    expect(await cache.get("c")).toBe(3);
  });

  it("forgets deleted keys", async () => {
    const cache = memoryCache(manualClock());
    await cache.set("k", "v", 60);
    await cache.delete("k");
    expect(await cache.get("k")).toBeUndefined();
  });
});

describe("memoryRateLimiter", () => {
  const rule = { limit: 3, windowSeconds: 60 };

  it("allows `limit` requests per window per key, then refuses with the reset time", async () => {
    const clock = manualClock(new Date("2026-06-01T12:00:00Z"));
    const limiter = memoryRateLimiter(clock);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.check("ip:1", rule));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]?.resetAt).toBe(new Date("2026-06-01T12:01:00Z").getTime());
    expect((await limiter.check("ip:2", rule)).allowed).toBe(true);
  });

  it("weights the previous window so a burst at a boundary is not doubled", async () => {
    const clock = manualClock(new Date("2026-06-01T12:00:50Z"));
    const limiter = memoryRateLimiter(clock);
    for (let i = 0; i < 3; i++) expect((await limiter.check("k", rule)).allowed).toBe(true);
    clock.advance(15_000); // 12:01:05: the previous window still counts 3 × 55/60
    expect((await limiter.check("k", rule)).allowed).toBe(false);
    clock.advance(50_000); // 12:01:55: 3 × 5/60 ≈ 0.25 left over
    expect((await limiter.check("k", rule)).allowed).toBe(true);
  });
});

describe("memoryCalendarLock", () => {
  it("runs work for one listing one at a time, in order, even when some fails", async () => {
    const lock = memoryCalendarLock();
    const events: string[] = [];
    const task = (name: string, ms: number, fail = false) =>
      lock.withLock("listing-1", async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([task("a", 20, true), task("b", 5), task("c", 1)]);
    expect(events).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
  });

  it("does not make different listings wait for each other", async () => {
    const lock = memoryCalendarLock();
    const events: string[] = [];
    let release: () => void = () => {};
    const slow = lock.withLock("listing-1", () => new Promise<void>((r) => (release = r)));
    await lock.withLock("listing-2", async () => events.push("listing-2 ran"));
    expect(events).toEqual(["listing-2 ran"]);
    release();
    await slow;
  });

  it("wakes the listing when its hold runs out, and not before", async () => {
    const due: string[] = [];
    const lock = memoryCalendarLock({ onDue: (listingId) => due.push(listingId) });
    await lock.wakeAt("listing-1", new Date(Date.now() + 40));
    await lock.wakeAt("listing-2", new Date(Date.now() - 1000));
    await new Promise((r) => setTimeout(r, 10));
    expect(due).toEqual(["listing-2"]);
    await new Promise((r) => setTimeout(r, 60));
    expect(due).toEqual(["listing-2", "listing-1"]);
  });
});

describe("uuidv7Ids", () => {
  it("makes RFC 9562 version-7 ids that sort by creation time", () => {
    const clock = manualClock();
    const ids = uuidv7Ids(clock);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push(ids.next());
      clock.advance(1);
    }
    for (const id of made)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(5);
  });
});
