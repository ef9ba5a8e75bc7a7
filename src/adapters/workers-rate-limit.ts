import type { RateLimit } from "@cloudflare/workers-types/index.ts";
import type { Clock, RateLimitDecision, RateLimiter, RateLimitRule } from "../ports.ts";

export interface WorkersRateLimitBinding {
  /** `env.<NAME>` of a `[[ratelimits]]` entry in wrangler.toml. */
  binding: RateLimit;
  /** The `simple.limit` configured for that binding. */
  limit: number;
  /** The `simple.period` configured for that binding: Cloudflare accepts 10 or 60. */
  windowSeconds: number;
}

const PERIODS = new Set([10, 60]);
const ruleId = (rule: RateLimitRule): string => `${rule.limit}/${rule.windowSeconds}s`;

/**
 * The Workers rate limiting binding. Its limit and period are fixed in wrangler.toml, so each rule
 * the app checks needs its own binding with exactly that limit and period; `check` picks it by
 * (limit, windowSeconds) and throws for a rule no binding was configured for.
 *
 * The binding is per Cloudflare location and eventually consistent (a guard against abuse, not an
 * exact counter), and it answers only `success`. So `remaining` and `resetAt` are estimates:
 * allowed → `limit - 1` (an upper bound: this call used one), refused → 0; `resetAt` is now + one
 * period, the latest the binding's current window can end.
 */
export function workersRateLimiter(
  bindings: ReadonlyArray<WorkersRateLimitBinding>,
  clock: Clock = { now: () => new Date() },
): RateLimiter {
  const byRule = new Map<string, WorkersRateLimitBinding>();
  for (const entry of bindings) {
    const id = ruleId(entry);
    if (!Number.isInteger(entry.limit) || entry.limit < 1) {
      throw new Error(`Workers rate limit binding ${id}: limit must be a positive integer`);
    }
    if (!PERIODS.has(entry.windowSeconds)) {
      throw new Error(`Workers rate limit binding ${id}: the period must be 10 or 60 seconds`);
    }
    if (byRule.has(id)) throw new Error(`Two Workers rate limit bindings are configured for ${id}`);
    byRule.set(id, entry);
  }

  return {
    async check(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
      const entry = byRule.get(ruleId(rule));
      if (entry === undefined) {
        const known = [...byRule.keys()].join(", ") || "none";
        throw new Error(
          `No Workers rate limit binding for the rule ${ruleId(rule)} (configured: ${known}); ` +
            "add a [[ratelimits]] binding with that limit and period to wrangler.toml",
        );
      }
      const { success } = await entry.binding.limit({ key });
      return {
        allowed: success,
        remaining: success ? entry.limit - 1 : 0,
        resetAt: clock.now().getTime() + entry.windowSeconds * 1000,
      };
    },
  };
}
