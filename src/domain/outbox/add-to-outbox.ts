import { outbox } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";

/**
 * Writes a message to the outbox in the caller's transaction, so it exists only if the change does.
 * `availableAt` holds it back until then. With an `id` of its own (one derived from what it is
 * about), a message written twice is kept once: answers whether this call added it.
 */
export async function addToOutbox(
  ctx: DomainContext,
  message: { topic: string; payload: unknown; id?: string | undefined; availableAt?: Date | undefined },
): Promise<boolean> {
  const now = ctx.deps.clock.now();
  const added = await ctx.db
    .insert(outbox)
    .values({
      id: message.id ?? ctx.deps.ids.next(),
      topic: message.topic,
      payload: message.payload,
      createdAt: now,
      availableAt: message.availableAt ?? now,
    })
    .onConflictDoNothing({ target: outbox.id })
    .returning({ id: outbox.id });
  return added.length > 0;
}
