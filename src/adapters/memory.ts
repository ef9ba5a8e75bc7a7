import { LRUCache } from "lru-cache";
import type { Cache, CalendarLock, Clock, RateLimitDecision, RateLimiter, RateLimitRule } from "../ports.ts";
import { systemClock } from "./system.ts";

/**
 * In-process LRU with a TTL per entry (lru-cache). Per process (per isolate on Workers): never the
 * only copy of anything. Values are kept as given, not copied: per the port, nobody changes a
 * value after `set`, nor one it got.
 */
export function memoryCache(clock: Clock, maxEntries = 10_000): Cache {
  const entries = new LRUCache<string, { value: unknown }>({
    max: maxEntries,
    perf: { now: () => clock.now().getTime() },
    // Read the clock on every check: no timer per operation, and tests move the clock by hand.
    ttlResolution: 0,
  });
  return {
    async get<T>(key: string) {
      return entries.get(key)?.value as T | undefined;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, { value }, { ttl: ttlSeconds * 1000 });
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}

/**
 * Sliding-window counter (the previous window weighted by how much of it still overlaps), the
 * same algorithm @upstash/ratelimit uses, kept in process memory.
 */
export function memoryRateLimiter(clock: Clock, maxKeys = 100_000): RateLimiter {
  const windows = new Map<string, { start: number; current: number; previous: number }>();
  return {
    async check(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
      const now = clock.now().getTime();
      const size = rule.windowSeconds * 1000;
      const start = Math.floor(now / size) * size;
      const mapKey = `${rule.limit}/${rule.windowSeconds}:${key}`;
      let w = windows.get(mapKey);
      if (!w || w.start < start - size) w = { start, current: 0, previous: 0 };
      else if (w.start < start) w = { start, current: 0, previous: w.current };
      const weight = 1 - (now - start) / size;
      const used = w.previous * weight + w.current;
      windows.delete(mapKey);
      windows.set(mapKey, w);
      if (windows.size > maxKeys) {
        const oldest = windows.keys().next();
        if (!oldest.done) windows.delete(oldest.value);
      }
      if (used + 1 > rule.limit) {
        return { allowed: false, remaining: 0, resetAt: start + size };
      }
      w.current += 1;
      return {
        allowed: true,
        remaining: Math.max(0, Math.floor(rule.limit - used - 1)),
        resetAt: start + size,
      };
    },
  };
}

/**
 * A FIFO mutex per listing id, for a single Node process. `wakeAt` calls `onDue(listingId)` when a
 * hold runs out (a timer that keeps no process alive); the periodic tick catches any it misses.
 */
export function memoryCalendarLock(
  options: { clock?: Clock; onDue?: (listingId: string) => void } = {},
): CalendarLock {
  const { clock = systemClock, onDue } = options;
  const tails = new Map<string, Promise<unknown>>();
  return {
    async withLock<T>(listingId: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(listingId) ?? Promise.resolve();
      const run = previous.then(work, work);
      const tail = run.catch(() => {});
      tails.set(listingId, tail);
      try {
        return await run;
      } finally {
        if (tails.get(listingId) === tail) tails.delete(listingId);
      }
    },
    async wakeAt(listingId, at) {
      // Past setTimeout's largest delay, the periodic tick expires the hold.
      const delay = Math.max(0, at.getTime() - clock.now().getTime());
      if (onDue && delay < 2 ** 31) setTimeout(() => onDue(listingId), delay).unref();
    },
  };
}
