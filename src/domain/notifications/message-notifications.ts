import { and, count, desc, eq, gt, inArray, lt, max, ne } from "drizzle-orm";
import { conversations, listings, messages, outbox } from "../../db/schema/index.ts";
import type { Actor, DomainContext } from "../context.ts";
import { readConversations } from "../messages/conversation-store.ts";
import { toMessage } from "../messages/conversation-view.ts";
import { topics } from "../outbox/topics.ts";
import { links } from "./links.ts";
import { nameBasedId } from "./mail-id.ts";
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
  /** The id of the window's first event, kept when its mail is put off: it names the mail. */
  eventId?: string | undefined;
}

const none: NotificationPlan = { mails: [] };
const WINDOW_MS = MESSAGE_MAIL_WINDOW_MINUTES * 60_000;
/** How many windows back a mail is looked for: one sent that late after its window is not expected. */
const WINDOWS_BACK = 4;

/** The name of a window's mail-due event, and of the mail it sends. */
const dueKey = (to: Omit<MessagesDue, "eventId">) =>
  `messages-mail:${to.conversationId}:${to.recipientId}:${to.due}`;
const mailKey = (eventId: string, recipientId: string) => `${eventId}:${recipientId}:unread-messages`;

/**
 * When the conversation's last mail to the recipient went (queued), from the windows before
 * `input`'s: a window's mail goes when the first drain after its end runs, so it may leave late.
 */
async function lastMailAt(ctx: DomainContext, input: MessagesDue): Promise<Date | null> {
  const ids: string[] = [];
  for (let back = 1; back <= WINDOWS_BACK; back++) {
    const due = new Date(Date.parse(input.due) - back * WINDOW_MS).toISOString();
    ids.push(await nameBasedId(mailKey(await nameBasedId(dueKey({ ...input, due })), input.recipientId)));
  }
  const [last] = await ctx.db
    .select({ at: max(outbox.createdAt) })
    .from(outbox)
    .where(inArray(outbox.id, ids));
  return last?.at ?? null;
}

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
        key: dueKey(payload),
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
 * Should the previous window's mail have left late, less than a window ago, this one is put off
 * until a window after it (and written then, from what is unread then).
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
  const now = ctx.deps.clock.now();
  const last = await lastMailAt(ctx, input);
  if (last && now.getTime() - last.getTime() < WINDOW_MS) {
    const at = new Date(last.getTime() + WINDOW_MS);
    const payload: MessagesDue = { ...input, eventId: input.eventId ?? eventId };
    const key = `${dueKey(input)}:put-off:${at.toISOString()}`;
    return { mails: [], later: [{ key, topic: topics.messagesMailDue, payload, at }] };
  }
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
    mails: [{ key: mailKey(input.eventId ?? eventId, you.id), message: renderMail(you.email, document) }],
  };
}
