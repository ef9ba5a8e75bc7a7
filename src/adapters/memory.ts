import { fnv1a } from "../lib/fnv1a.ts";
import type {
  Cache,
  CalendarLock,
  Clock,
  Job,
  Jobs,
  Logger,
  RateLimitDecision,
  RateLimiter,
  RateLimitRule,
} from "../ports.ts";

/**
 * In-process LRU with TTL. Per process (per isolate on Workers): never the only copy of anything.
 * Values are kept as given, not copied: per the port, callers never change a value after `set` or
 * one they `get` (copying every search answer cost a seventh of a search's CPU).
 *
 * A value is kept only from the second time its key is set within the TTL: the first time, only the
 * key is remembered. Most search answers are asked for once; kept, thousands of them sat in the heap
 * and made every garbage collection (and so the slowest requests) slower, for no hit. A key is
 * remembered as a hash with its expiry in whole seconds, small integers rather than objects:
 * remembered key strings outlived young collections and filled the old generation. Two keys sharing
 * a hash only make the second one's value kept a set earlier.
 */
export function memoryCache(clock: Clock, maxEntries = 10_000): Cache {
  const entries = new Map<string, { value: unknown; expiresAt: number }>();
  /** The hashes of keys set lately (most recent last), with when their latest set expires (s). */
  const seen = new Map<number, number>();
  // Whole seconds since the cache was made (small integers for decades); expiries round up and
  // the present down, so a key is never forgotten early.
  const origin = clock.now().getTime();
  const secondsUp = (ms: number) => Math.ceil((ms - origin) / 1000);
  const secondsDown = (ms: number) => Math.floor((ms - origin) / 1000);
  const bound = (map: Map<unknown, unknown>) => {
    while (map.size > maxEntries) {
      const oldest = map.keys().next();
      if (oldest.done) break;
      map.delete(oldest.value);
    }
  };
  return {
    async get<T>(key: string) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= clock.now().getTime()) return undefined;
      entries.set(key, entry);
      return entry.value as T;
    },
    async set(key, value, ttlSeconds) {
      const now = clock.now().getTime();
      const expiresAt = now + ttlSeconds * 1000;
      // Cut to 30 bits: a small integer on every V8 build.
      const hash = fnv1a(key) & 0x3fffffff;
      const seenUntil = seen.get(hash);
      seen.delete(hash);
      seen.set(hash, secondsUp(expiresAt));
      bound(seen);
      // Kept when it replaces a value, or when its key was set before within that set's TTL.
      if (!entries.delete(key) && (seenUntil === undefined || seenUntil <= secondsDown(now))) return;
      entries.set(key, { value, expiresAt });
      bound(entries);
    },
    async delete(key) {
      // The key stays seen: a popular value changed is kept again at its next set.
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

/** A FIFO mutex per listing id, for a single Node process. */
export function memoryCalendarLock(): CalendarLock {
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
  };
}

/**
 * Runs jobs in the same process, one at a time in arrival order, after the current request.
 * A failing job is logged and retried with backoff up to `maxAttempts`.
 */
export function memoryJobs(
  run: (job: Job) => Promise<void>,
  logger: Logger,
  options: { maxAttempts?: number; backoffMs?: number } = {},
): Jobs & { drain(): Promise<void> } {
  const maxAttempts = options.maxAttempts ?? 5;
  const backoffMs = options.backoffMs ?? 1000;
  let chain: Promise<void> = Promise.resolve();
  const pending = new Set<Promise<void>>();

  const attempt = async (job: Job, n: number): Promise<void> => {
    try {
      await run(job);
    } catch (error) {
      const name = error instanceof Error ? error.name : "unknown";
      if (n >= maxAttempts) {
        logger.log("error", "job.failed", { topic: job.topic, attempts: n, error: name });
        return;
      }
      logger.log("warn", "job.retry", { topic: job.topic, attempts: n, error: name });
      await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (n - 1)));
      await attempt(job, n + 1);
    }
  };

  return {
    async enqueue(job) {
      const run = chain.then(() => attempt(job, 1));
      chain = run;
      pending.add(run);
      void run.finally(() => pending.delete(run));
    },
    async drain() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
