import type { RateLimitRule } from "../../ports.ts";
import type { DomainContext } from "../context.ts";
import { enforceRateLimit } from "../rate-limit.ts";

/**
 * Messaging abuse limits. A sender's messages, enquiries and a booking's message included: 20 a
 * minute, a (limit, 60 s) pair the Workers rate-limit bindings already enforce (wrangler.toml).
 */
export const messageLimits = {
  sendPerUser: { limit: 20, windowSeconds: 60 },
} satisfies Record<string, RateLimitRule>;

/** Counts a message `senderId` is about to send, whichever way; over the limit, 429 with `Retry-After`. */
export function limitMessagesOf(ctx: DomainContext, senderId: string): Promise<void> {
  return enforceRateLimit(ctx.deps, `messages:${senderId}`, messageLimits.sendPerUser);
}
