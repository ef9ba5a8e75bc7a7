import { lt } from "drizzle-orm";
import { idempotencyKeys } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";

/** Periodic clean-up (cron on Workers, a timer on Node): drops idempotency records past expiry. */
export async function sweepExpired({ ctx }: { ctx: DomainContext }): Promise<{ idempotencyKeys: number }> {
  const removed = await ctx.db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.expiresAt, ctx.deps.clock.now()))
    .returning({ key: idempotencyKeys.key });
  return { idempotencyKeys: removed.length };
}
