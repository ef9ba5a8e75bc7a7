import type { Deps, RateLimitRule } from "../ports.ts";
import { AppError } from "./errors.ts";

/** Counts one attempt against `key`; over the limit it refuses with 429 and `Retry-After`. */
export async function enforceRateLimit(deps: Deps, key: string, rule: RateLimitRule): Promise<void> {
  const decision = await deps.rateLimiter.check(key, rule);
  if (decision.allowed) return;
  const retryAfter = Math.max(1, Math.ceil((decision.resetAt - deps.clock.now().getTime()) / 1000));
  throw new AppError("RATE_LIMITED", `Too many attempts. Try again in ${retryAfter} seconds.`, {
    headers: { "Retry-After": String(retryAfter) },
  });
}
