import { and, eq, sql } from "drizzle-orm";
import { conversations, messages } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError, invalidField } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import { conversationNotFound, readConversation } from "./conversation-store.ts";
import { sideOf, toConversation } from "./conversation-view.ts";
import type { Conversation } from "./message-schemas.ts";

/**
 * The guest or the host says how far they have read their conversation: up to a message, or all
 * it holds now. A read mark only moves forward, so a late or repeated request changes nothing.
 */
export async function markConversationRead({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; upTo?: string | undefined };
}): Promise<Conversation> {
  const actor = requireActor(ctx);
  const read = await withTransaction(ctx, async (ctx) => {
    const [conversation] = await ctx.db.select().from(conversations).where(eq(conversations.id, input.id));
    const side = conversation && sideOf(actor, conversation);
    if (!conversation || !side) throw conversationNotFound();
    if (side === "admin") {
      throw new AppError("FORBIDDEN", "Only the guest and the host mark their conversation read.");
    }
    let upTo = conversation.lastSeq;
    if (input.upTo !== undefined) {
      const [message] = await ctx.db
        .select({ seq: messages.seq })
        .from(messages)
        .where(and(eq(messages.id, input.upTo), eq(messages.conversationId, conversation.id)));
      if (!message) throw invalidField("upTo", "No message with this id in this conversation");
      upTo = message.seq;
    }
    await ctx.db
      .update(conversations)
      .set(
        side === "guest"
          ? { guestReadSeq: sql`greatest(${conversations.guestReadSeq}, ${upTo})` }
          : { hostReadSeq: sql`greatest(${conversations.hostReadSeq}, ${upTo})` },
      )
      .where(eq(conversations.id, conversation.id));
    return readConversation(ctx, conversation.id);
  });
  return toConversation(read, actor);
}
