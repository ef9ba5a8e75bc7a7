import { and, desc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { bookings, conversations, listings, messages } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { addToOutbox } from "../outbox/add-to-outbox.ts";
import { topics } from "../outbox/topics.ts";
import type { ConversationRead, ConversationRow, MessageRow } from "./conversation-view.ts";
import { contactSharingStatuses } from "./vocabulary.ts";

export const conversationNotFound = () => new AppError("NOT_FOUND", "No conversation with this id.");

/**
 * The guest's conversation with the host about the listing, opened now if there is none, in the
 * caller's transaction. Two first enquiries (or an enquiry and a booking) at once open one: the
 * second insert waits on the unique (listing, guest) index, then finds the first's row.
 */
export async function openConversation(
  ctx: DomainContext,
  input: { listingId: string; guestId: string; hostId: string },
): Promise<ConversationRow> {
  // The listing's lock before the conversation's, as a booking takes them (its listing FOR UPDATE
  // first): the insert's foreign-key check would take it after, and an enquiry racing a booking
  // deadlocked. KEY SHARE is what that check takes anyway, so enquiries do not queue on it.
  await ctx.db
    .select({ id: listings.id })
    .from(listings)
    .where(eq(listings.id, input.listingId))
    .for("key share");
  const now = ctx.deps.clock.now();
  const [opened] = await ctx.db
    .insert(conversations)
    .values({ id: ctx.deps.ids.next(), ...input, lastActivityAt: now, createdAt: now })
    .onConflictDoNothing({ target: [conversations.listingId, conversations.guestId] })
    .returning();
  if (opened) return opened;
  const [found] = await ctx.db
    .select()
    .from(conversations)
    .where(and(eq(conversations.listingId, input.listingId), eq(conversations.guestId, input.guestId)));
  if (!found) throw new Error("the conversation that conflicted is gone");
  return found;
}

/**
 * Adds a message to a conversation, in the caller's transaction: it takes the next number under
 * the conversation's row lock (so messages sent at once are numbered in the order they commit),
 * moves the sender's read mark to it, and leaves a `message.sent` outbox message for the
 * notifications that react to it. The text is stored exactly as given.
 */
export async function appendMessage(
  ctx: DomainContext,
  conversation: Pick<ConversationRow, "id" | "guestId" | "hostId" | "listingId">,
  input: { senderId: string; text: string },
): Promise<MessageRow> {
  const now = ctx.deps.clock.now();
  const next = sql`${conversations.lastSeq} + 1`;
  const [numbered] = await ctx.db
    .update(conversations)
    .set({
      lastSeq: next,
      ...(input.senderId === conversation.guestId ? { guestReadSeq: next } : { hostReadSeq: next }),
      lastActivityAt: sql`greatest(${conversations.lastActivityAt}, ${now})`,
    })
    .where(eq(conversations.id, conversation.id))
    .returning({ seq: conversations.lastSeq });
  if (!numbered) throw conversationNotFound();
  const [message] = await ctx.db
    .insert(messages)
    .values({
      id: ctx.deps.ids.next(),
      conversationId: conversation.id,
      seq: numbered.seq,
      senderId: input.senderId,
      text: input.text,
      createdAt: now,
    })
    .returning();
  if (!message) throw new Error("insert returned no row");
  await addToOutbox(ctx, {
    topic: topics.messageSent,
    payload: {
      conversationId: conversation.id,
      messageId: message.id,
      listingId: conversation.listingId,
      senderId: input.senderId,
      recipientId: input.senderId === conversation.guestId ? conversation.hostId : conversation.guestId,
      at: now.toISOString(),
    },
  });
  return message;
}

/** Whether a booking of the conversation's guest at its listing is confirmed (or completed). */
const contactsShared = sql<boolean>`exists (
  select 1 from ${bookings}
  where ${bookings.listingId} = ${conversations.listingId} and ${bookings.guestId} = ${conversations.guestId}
    and ${inArray(bookings.status, [...contactSharingStatuses])}
)`;

/** A guest's conversation about a listing, named by the two. */
export interface ListingGuest {
  listingId: string;
  guestId: string;
}

const keyOf = ({ listingId, guestId }: ListingGuest) => `${listingId} ${guestId}`;

/**
 * Which of these (listing, guest) pairs share contact details, by the rule of `contactsShared`,
 * in one query for them all (a page of bookings asks it once, not once a row).
 */
export async function contactsSharedAmong(
  ctx: DomainContext,
  pairs: readonly ListingGuest[],
): Promise<(pair: ListingGuest) => boolean> {
  const distinct = [...new Map(pairs.map((pair) => [keyOf(pair), pair])).values()];
  if (distinct.length === 0) return () => false;
  const rows = await ctx.db
    .selectDistinct({ listingId: bookings.listingId, guestId: bookings.guestId })
    .from(bookings)
    .where(
      and(
        inArray(bookings.status, [...contactSharingStatuses]),
        or(...distinct.map((p) => and(eq(bookings.listingId, p.listingId), eq(bookings.guestId, p.guestId)))),
      ),
    );
  const shared = new Set(rows.map(keyOf));
  return (pair) => shared.has(keyOf(pair));
}

/**
 * Conversations matching `where`, each with its newest message and whether contact details show,
 * newest activity first.
 */
export async function readConversations(
  ctx: DomainContext,
  where: SQL | undefined,
  limit: number,
): Promise<ConversationRead[]> {
  const rows = await ctx.db
    .select({ conversation: conversations, last: messages, contactsShared })
    .from(conversations)
    .leftJoin(
      messages,
      and(eq(messages.conversationId, conversations.id), eq(messages.seq, conversations.lastSeq)),
    )
    .where(where)
    .orderBy(desc(conversations.lastActivityAt), desc(conversations.id))
    .limit(limit);
  return rows.map((row) => ({ ...row, contactsShared: Boolean(row.contactsShared) }));
}

/** One conversation, read as `readConversations` reads them; 404 if there is none. */
export async function readConversation(ctx: DomainContext, id: string): Promise<ConversationRead> {
  const [read] = await readConversations(ctx, eq(conversations.id, id), 1);
  if (!read) throw conversationNotFound();
  return read;
}
