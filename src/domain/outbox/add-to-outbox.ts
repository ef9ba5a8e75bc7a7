import { outbox } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";

/** Writes a message to the outbox in the caller's transaction, so it exists only if the change does. */
export async function addToOutbox(
  ctx: DomainContext,
  message: { topic: string; payload: unknown },
): Promise<void> {
  const now = ctx.deps.clock.now();
  await ctx.db.insert(outbox).values({
    id: ctx.deps.ids.next(),
    topic: message.topic,
    payload: message.payload,
    createdAt: now,
    availableAt: now,
  });
}
