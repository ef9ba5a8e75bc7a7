import type { DurableObjectNamespace } from "@cloudflare/workers-types/index.ts";
import { describe, expect, it } from "vitest";
import { durableCalendarLock, LEASE_MS } from "../../src/adapters/listing-calendar.ts";
import type { ListingCalendar } from "../../src/worker/listing-calendar.ts";
import { memoryLogger } from "../support/test-app.ts";

interface FakeCalendar {
  acquire(leaseMs: number): Promise<string>;
  release(token: string): Promise<boolean>;
  wakeAt(listingId: string, at: number): Promise<void>;
}

/** A namespace whose objects are `calendar`, recording which listing each stub was made for. */
function namespaceOf(calendar: FakeCalendar) {
  const named: string[] = [];
  const namespace = {
    idFromName: (name: string) => {
      named.push(name);
      return { name };
    },
    get: () => calendar,
  } as unknown as DurableObjectNamespace<ListingCalendar>;
  return { namespace, named };
}

const unreachable = () => Promise.reject(new TypeError("Network connection lost."));

describe("durableCalendarLock (the Workers calendar lock)", () => {
  it("runs the work between acquire and release of the listing's own object, with a bounded lease", async () => {
    const events: string[] = [];
    const { namespace, named } = namespaceOf({
      acquire: async (leaseMs) => {
        events.push(`acquire ${leaseMs}`);
        return "token-1";
      },
      release: async (token) => {
        events.push(`release ${token}`);
        return true;
      },
      wakeAt: async () => {},
    });
    const lock = durableCalendarLock(namespace, memoryLogger());
    const result = await lock.withLock("listing-1", async () => {
      events.push("work");
      return 42;
    });
    expect(result).toBe(42);
    expect(events).toEqual([`acquire ${LEASE_MS}`, "work", "release token-1"]);
    expect(named).toEqual(["listing-1"]);
  });

  it("releases the lease when the work fails, and passes the failure on", async () => {
    const released: string[] = [];
    const { namespace } = namespaceOf({
      acquire: async () => "token-1",
      release: async (token) => {
        released.push(token);
        return true;
      },
      wakeAt: async () => {},
    });
    const lock = durableCalendarLock(namespace, memoryLogger());
    await expect(lock.withLock("listing-1", () => Promise.reject(new Error("conflict")))).rejects.toThrow(
      "conflict",
    );
    expect(released).toEqual(["token-1"]);
  });

  it("still runs the work when the object cannot be reached: the database decides", async () => {
    const logger = memoryLogger();
    const { namespace } = namespaceOf({ acquire: unreachable, release: unreachable, wakeAt: unreachable });
    const lock = durableCalendarLock(namespace, logger);
    expect(await lock.withLock("listing-1", async () => "booked")).toBe("booked");
    expect(logger.lines).toEqual([
      { level: "warn", message: "calendar.lock_unavailable", listingId: "listing-1", error: "TypeError" },
    ]);
  });

  it("does not fail a committed booking when its release or wake-up cannot be delivered", async () => {
    const logger = memoryLogger();
    const { namespace } = namespaceOf({
      acquire: async () => "token-1",
      release: unreachable,
      wakeAt: unreachable,
    });
    const lock = durableCalendarLock(namespace, logger);
    expect(await lock.withLock("listing-1", async () => "booked")).toBe("booked");
    await lock.wakeAt("listing-1", new Date("2027-01-01T00:00:00Z"));
    expect(logger.lines.map((line) => line.message)).toEqual([
      "calendar.release_failed",
      "calendar.wake_failed",
    ]);
  });

  it("asks the listing's object to wake at the hold's expiry, in epoch milliseconds", async () => {
    const wakes: Array<[string, number]> = [];
    const { namespace } = namespaceOf({
      acquire: async () => "token-1",
      release: async () => true,
      wakeAt: async (listingId, at) => {
        wakes.push([listingId, at]);
      },
    });
    await durableCalendarLock(namespace, memoryLogger()).wakeAt(
      "listing-1",
      new Date("2027-01-01T00:00:00Z"),
    );
    expect(wakes).toEqual([["listing-1", Date.parse("2027-01-01T00:00:00Z")]]);
  });
});
