import { and, count, desc, eq, gt, lt, ne } from "drizzle-orm";
import { conversations, listings, messages } from "../../db/schema/index.ts";
import type { Actor, DomainContext } from "../context.ts";
import { readConversations } from "../messages/conversation-store.ts";
import { toMessage } from "../messages/conversation-view.ts";
import { topics } from "../outbox/topics.ts";
import { links } from "./links.ts";
import { readPeople } from "./people.ts";
import type { NotificationPlan } from "./queue-mails.ts";
import { unreadMessages } from "./templates/message-mails.ts";
import { renderMail } from "./templates/render.ts";
import { DIGEST_MAX_MESSAGES, MESSAGE_MAIL_WINDOW_MINUTES } from "./vocabulary.ts";

/** The `message.sent` outbox payload. */
export interface MessageSent {
  conversationId: string;
  recipientId: string;
  /** When it was sent (ISO 8601). */
  at: string;
}

/** What a mail about unread messages is due for: one conversation's recipient, at the end of a window. */
export interface MessagesDue {
  conversationId: string;
  recipientId: string;
  due: string;
}

const none: NotificationPlan = { mails: [] };
const WINDOW_MS = MESSAGE_MAIL_WINDOW_MINUTES * 60_000;

/**
 * A message asks for a mail to its recipient at the end of the window it was sent in. Every
 * message of one window asks for the same one (its id is named by conversation, recipient and
 * window end), so a conversation mails each recipient at most once per window.
 */
export function planMessagesMail(event: MessageSent, now: Date): NotificationPlan {
  const sent = Date.parse(event.at);
  const at = Number.isNaN(sent) ? now.getTime() : sent;
  const due = new Date((Math.floor(at / WINDOW_MS) + 1) * WINDOW_MS);
  const payload: MessagesDue = {
    conversationId: event.conversationId,
    recipientId: event.recipientId,
    due: due.toISOString(),
  };
  return {
    mails: [],
    later: [
      {
        key: `messages-mail:${event.conversationId}:${event.recipientId}:${payload.due}`,
        topic: topics.messagesMailDue,
        payload,
        at: due,
      },
    ],
  };
}

/**
 * At the end of a window: one mail summing up what the other side wrote before then that the
 * recipient has not read (the latest few quoted, as the API would show them to the recipient:
 * contact details hidden until a stay is confirmed), or none if they have read it all meanwhile.
 */
export async function planUnreadMessagesMail(
  ctx: DomainContext,
  eventId: string,
  input: MessagesDue,
): Promise<NotificationPlan> {
  const [read] = await readConversations(ctx, eq(conversations.id, input.conversationId), 1);
  if (!read) return none;
  const { conversation, contactsShared } = read;
  const side =
    input.recipientId === conversation.guestId
      ? "guest"
      : input.recipientId === conversation.hostId
        ? "host"
        : undefined;
  if (!side) return none;
  const readUpTo = side === "guest" ? conversation.guestReadSeq : conversation.hostReadSeq;
  const unread = and(
    eq(messages.conversationId, conversation.id),
    gt(messages.seq, readUpTo),
    ne(messages.senderId, input.recipientId),
    lt(messages.createdAt, new Date(input.due)),
  );
  const [counted] = await ctx.db.select({ unread: count() }).from(messages).where(unread);
  if (!counted || counted.unread === 0) return none;
  const latest = await ctx.db
    .select()
    .from(messages)
    .where(unread)
    .orderBy(desc(messages.seq))
    .limit(DIGEST_MAX_MESSAGES);
  const otherId = side === "guest" ? conversation.hostId : conversation.guestId;
  const people = await readPeople(ctx, [input.recipientId, otherId]);
  const you = people.get(input.recipientId);
  const other = people.get(otherId);
  const [listing] = await ctx.db
    .select({ title: listings.title, timezone: listings.timezone })
    .from(listings)
    .where(eq(listings.id, conversation.listingId));
  if (!you || !other || !listing) return none;
  // The recipient as the API shows them their conversation (not as an admin, who sees originals).
  const viewer: Actor = { userId: you.id, sessionId: "notification", isAdmin: false };
  const document = unreadMessages({
    you,
    other,
    listingTitle: listing.title,
    timezone: listing.timezone,
    unread: counted.unread,
    messages: latest.reverse().map((row) => ({
      from: other,
      at: row.createdAt,
      text: toMessage(row, viewer, contactsShared).text,
    })),
    url: links.conversation(ctx.deps.config, conversation.id),
  });
  return {
    mails: [{ key: `${eventId}:${you.id}:unread-messages`, message: renderMail(you.email, document) }],
  };
}
