import type { RateLimitRule } from "../../ports.ts";

/**
 * Sign-in abuse limits. Windows are 60 s so that the Workers rate-limit binding (periods of 10 or
 * 60 s only) can enforce the same rules as Upstash and the in-process limiter.
 */
export const identityLimits = {
  loginPerIp: { limit: 20, windowSeconds: 60 },
  loginPerEmail: { limit: 5, windowSeconds: 60 },
  registerPerIp: { limit: 5, windowSeconds: 60 },
  passwordResetPerIp: { limit: 5, windowSeconds: 60 },
  refreshPerSession: { limit: 10, windowSeconds: 60 },
} satisfies Record<string, RateLimitRule>;
