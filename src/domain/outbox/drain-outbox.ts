import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { outbox } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";

const BATCH = 50;
/** How long a drain may take to hand a message over before another drain may take it. */
export const OUTBOX_LEASE_MS = 5 * 60_000;
const RETRY_DELAY_MS = 60_000;

/**
 * Hands due outbox messages to the jobs port, oldest first, at least once each. A short
 * transaction leases them (`SKIP LOCKED`: concurrent drains never take the same one); each is
 * marked processed only after the jobs port took it. A drain that dies on the way leaves its
 * leases to run out, and a later drain hands those messages over again, under the same job id:
 * consumers recognise a repeat by it. No transaction stays open across the hand-over.
 */
export async function drainOutbox({
  ctx,
}: {
  ctx: DomainContext;
  input: Record<string, never>;
}): Promise<number> {
  const now = ctx.deps.clock.now();
  const leased = await withTransaction(ctx, async (ctx) => {
    const due = await ctx.db
      .select({ id: outbox.id, topic: outbox.topic, payload: outbox.payload })
      .from(outbox)
      .where(
        and(
          isNull(outbox.processedAt),
          lte(outbox.availableAt, now),
          or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now)),
        ),
      )
      .orderBy(asc(outbox.availableAt), asc(outbox.id))
      .limit(BATCH)
      .for("update", { skipLocked: true });
    if (due.length > 0) {
      await ctx.db
        .update(outbox)
        .set({
          lockedUntil: new Date(now.getTime() + OUTBOX_LEASE_MS),
          attempts: sql`${outbox.attempts} + 1`,
        })
        .where(
          inArray(
            outbox.id,
            due.map((message) => message.id),
          ),
        );
    }
    return due;
  });
  let handed = 0;
  for (const message of leased) {
    try {
      await ctx.deps.jobs.enqueue({ id: message.id, topic: message.topic, payload: message.payload });
    } catch (error) {
      await ctx.db
        .update(outbox)
        .set({
          lockedUntil: null,
          lastError: error instanceof Error ? error.name : "unknown",
          availableAt: new Date(ctx.deps.clock.now().getTime() + RETRY_DELAY_MS),
        })
        .where(eq(outbox.id, message.id));
      continue;
    }
    await ctx.db
      .update(outbox)
      .set({ processedAt: ctx.deps.clock.now(), lockedUntil: null })
      .where(eq(outbox.id, message.id));
    handed++;
  }
  return handed;
}
