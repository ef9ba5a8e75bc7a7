import { and, desc, eq, lt } from "drizzle-orm";
import { messages } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import { conversationNotFound, readConversation } from "./conversation-store.ts";
import { sideOf, toConversation, toMessage } from "./conversation-view.ts";

/**
 * A conversation with a page of its messages, newest first (a chat opens on its latest messages
 * and scrolls back): `next` is the number of the oldest message shown, when there are older ones.
 * For its guest, its host and admins; 404 for anyone else. Reading marks nothing read.
 */
export async function getConversation({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; limit: number; before?: number | undefined };
}) {
  const actor = requireActor(ctx);
  const read = await readConversation(ctx, input.id);
  if (!sideOf(actor, read.conversation)) throw conversationNotFound();
  const rows = await ctx.db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, input.id),
        input.before === undefined ? undefined : lt(messages.seq, input.before),
      ),
    )
    .orderBy(desc(messages.seq))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    conversation: toConversation(read, actor),
    messages: page.map((row) => toMessage(row, actor, read.contactsShared)),
    next: rows.length > input.limit ? page.at(-1)?.seq : undefined,
  };
}
