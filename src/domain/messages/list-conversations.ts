import { and, eq } from "drizzle-orm";
import { conversations } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import { afterNewestFirst, type NewestFirstPosition, newestFirstPage } from "../pagination.ts";
import { readConversations } from "./conversation-store.ts";
import { type ConversationRead, toConversation } from "./conversation-view.ts";

const newestFirst = (a: ConversationRead, b: ConversationRead) =>
  b.conversation.lastActivityAt.getTime() - a.conversation.lastActivityAt.getTime() ||
  (a.conversation.id < b.conversation.id ? 1 : a.conversation.id > b.conversation.id ? -1 : 0);

/**
 * The caller's conversations, as guest, as host or both, newest activity first (keyset on
 * lastActivityAt, id), each with the caller's unread count and its newest message. Both sides are
 * read through their own index, a page each, and merged: an `or` would read every conversation of
 * the caller to sort them.
 */
export async function listConversations({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { as?: "guest" | "host" | undefined; limit: number; after?: NewestFirstPosition | undefined };
}) {
  const actor = requireActor(ctx);
  const sides = input.as ? [input.as] : (["guest", "host"] as const);
  const after = afterNewestFirst(conversations.lastActivityAt, conversations.id, input.after);
  const pages = await Promise.all(
    sides.map((side) =>
      readConversations(
        ctx,
        and(eq(side === "guest" ? conversations.guestId : conversations.hostId, actor.userId), after),
        input.limit + 1,
      ),
    ),
  );
  const rows = pages
    .flat()
    .sort(newestFirst)
    .slice(0, input.limit + 1)
    .map((read) => ({ read, createdAt: read.conversation.lastActivityAt, id: read.conversation.id }));
  return newestFirstPage(rows, input.limit, ({ read }) => toConversation(read, actor));
}
