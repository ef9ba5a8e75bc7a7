import type { RateLimitRule } from "../../ports.ts";

/**
 * Messaging abuse limits. A sender's messages, enquiries included: 20 a minute, a (limit, 60 s)
 * pair the Workers rate-limit bindings already enforce (wrangler.toml).
 */
export const messageLimits = {
  sendPerUser: { limit: 20, windowSeconds: 60 },
} satisfies Record<string, RateLimitRule>;
