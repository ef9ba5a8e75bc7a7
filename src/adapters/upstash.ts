import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis/cloudflare";
import type { Cache, RateLimitDecision, RateLimiter, RateLimitRule } from "../ports.ts";

export type { Redis };

export interface UpstashSettings {
  url: string;
  token: string;
}

/**
 * An Upstash REST client. The `/cloudflare` entry only uses global `fetch` (no `process`, no
 * `cache: "no-store"` request option, which workerd refuses before compatibility date 2024-11-11),
 * so the same client runs on Workers and on Node ≥ 18.
 */
export function upstashFromSettings(settings: UpstashSettings): Redis {
  return new Redis({ url: settings.url, token: settings.token, enableTelemetry: false });
}

/** Cache-aside on Upstash: JSON values with a `PX` expiry (to the millisecond), shared by every isolate and process. */
export function upstashCache(redis: Redis): Cache {
  return {
    async get<T>(key: string) {
      // The client JSON-parses what it reads back (automaticDeserialization).
      const value = await redis.get<T>(key);
      return value ?? undefined;
    },
    async set(key, value, ttlSeconds) {
      await redis.set(key, JSON.stringify(value), { px: Math.max(1, Math.ceil(ttlSeconds * 1000)) });
    },
    async delete(key) {
      await redis.del(key);
    },
  };
}

export interface UpstashRateLimiterOptions {
  /** Prepended to every key the limiter writes (tests use a per-run prefix). */
  keyPrefix?: string;
}

/**
 * `@upstash/ratelimit`'s sliding window (the same algorithm as `memoryRateLimiter`), one Lua script
 * call per check, so concurrent checks from any number of isolates/processes cannot overshoot.
 * The port passes the rule per call; one `Ratelimit` per distinct rule, each under its own prefix.
 * If Redis does not answer within the library's timeout (5 s) the check *allows* the request
 * (fail-open); transport errors after the client's retries are thrown to the caller.
 */
export function upstashRateLimiter(redis: Redis, options: UpstashRateLimiterOptions = {}): RateLimiter {
  const limiters = new Map<string, Ratelimit>();
  const limiterFor = (rule: RateLimitRule): Ratelimit => {
    const id = `${rule.limit}/${rule.windowSeconds}`;
    let limiter = limiters.get(id);
    if (limiter === undefined) {
      limiter = new Ratelimit({
        redis,
        limiter: Ratelimit.slidingWindow(rule.limit, `${rule.windowSeconds} s`),
        prefix: `${options.keyPrefix ?? ""}rl:${id}`,
        analytics: false,
        enableProtection: false,
        // The ephemeral cache would remember refused identifiers in isolate memory until the end of
        // the current window: stricter than the sliding window in Redis (which frees capacity as the
        // previous window's weight decays) and an unbounded Map in a long-lived Node process.
        ephemeralCache: false,
      });
      limiters.set(id, limiter);
    }
    return limiter;
  };

  return {
    async check(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
      const { success, remaining, reset } = await limiterFor(rule).limit(key);
      return { allowed: success, remaining, resetAt: reset };
    },
  };
}
