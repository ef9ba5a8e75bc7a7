import { eq } from "drizzle-orm";
import { conversations } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import { appendMessage, conversationNotFound } from "./conversation-store.ts";
import { sideOf, toMessage } from "./conversation-view.ts";
import { limitMessagesOf } from "./limits.ts";
import type { Message, NewMessage } from "./message-schemas.ts";

/**
 * The guest or the host writes in their conversation. Anyone else gets 404, as if it did not
 * exist; an admin, who may read it, 403. Rate limited per sender, enquiries included.
 */
export async function sendMessage({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: NewMessage & { conversationId: string };
}): Promise<Message> {
  const actor = requireActor(ctx);
  const [conversation] = await ctx.db
    .select()
    .from(conversations)
    .where(eq(conversations.id, input.conversationId));
  const side = conversation && sideOf(actor, conversation);
  if (!conversation || !side) throw conversationNotFound();
  if (side === "admin") {
    throw new AppError("FORBIDDEN", "Only the guest and the host write in their conversation.");
  }
  await limitMessagesOf(ctx, actor.userId);
  const message = await withTransaction(ctx, (ctx) =>
    appendMessage(ctx, conversation, { senderId: actor.userId, text: input.text }),
  );
  // Senders see their own text as written.
  return toMessage(message, actor, false);
}
