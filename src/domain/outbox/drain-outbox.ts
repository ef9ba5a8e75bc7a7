import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { outbox } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";

const BATCH = 50;
const RETRY_DELAY_MS = 60_000;

/**
 * Hands pending outbox messages to the jobs port, oldest first. Messages are claimed in a short
 * transaction (`SKIP LOCKED`: concurrent drainers never take the same row) and handed over after
 * it commits: no transaction stays open across the network. A hand-over that fails is released
 * for a later drain.
 */
export async function drainOutbox({
  ctx,
}: {
  ctx: DomainContext;
  input: Record<string, never>;
}): Promise<number> {
  const now = ctx.deps.clock.now();
  const claimed = await ctx.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id, topic: outbox.topic, payload: outbox.payload })
      .from(outbox)
      .where(and(isNull(outbox.processedAt), lte(outbox.availableAt, now)))
      .orderBy(asc(outbox.availableAt), asc(outbox.id))
      .limit(BATCH)
      .for("update", { skipLocked: true });
    if (due.length > 0) {
      const ids = due.map((m) => m.id);
      await tx
        .update(outbox)
        .set({ processedAt: now, attempts: sql`${outbox.attempts} + 1` })
        .where(inArray(outbox.id, ids));
    }
    return due;
  });
  for (const message of claimed) {
    try {
      await ctx.deps.jobs.enqueue({ topic: message.topic, payload: message.payload });
    } catch (error) {
      await ctx.db
        .update(outbox)
        .set({
          processedAt: null,
          lastError: error instanceof Error ? error.name : "unknown",
          availableAt: new Date(now.getTime() + RETRY_DELAY_MS),
        })
        .where(eq(outbox.id, message.id));
    }
  }
  return claimed.length;
}

/** Writes a message to the outbox inside the caller's transaction, so it exists only if the change does. */
export async function addToOutbox(
  tx: Database,
  ctx: DomainContext,
  message: { topic: string; payload: unknown },
): Promise<void> {
  const now = ctx.deps.clock.now();
  await tx.insert(outbox).values({
    id: ctx.deps.ids.next(),
    topic: message.topic,
    payload: message.payload,
    createdAt: now,
    availableAt: now,
  });
}
