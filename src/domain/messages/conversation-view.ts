import type { conversations, messages } from "../../db/schema/index.ts";
import type { Actor } from "../context.ts";
import { maskContactDetails } from "./contact-details.ts";
import type { Conversation, Message, MessagePreview } from "./message-schemas.ts";
import { PREVIEW_CHARS } from "./vocabulary.ts";

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

/** A conversation as read for a viewer: its newest message, and whether contact details show. */
export interface ConversationRead {
  conversation: ConversationRow;
  last: MessageRow | null;
  contactsShared: boolean;
}

/** Which side of a conversation `viewer` is on; admins read every conversation, but write in none. */
export function sideOf(viewer: Actor | undefined, row: Pick<ConversationRow, "guestId" | "hostId">) {
  if (!viewer) return undefined;
  if (viewer.userId === row.guestId) return "guest" as const;
  if (viewer.userId === row.hostId) return "host" as const;
  if (viewer.isAdmin) return "admin" as const;
  return undefined;
}

/**
 * Text a guest or a host wrote to the other, as `viewer` sees it: the original for its writer and
 * admins, and for both sides once their contact details are shared (see `contactSharingStatuses`);
 * before that, everyone else (the recipient, or no one signed in, as for a job) sees e-mail
 * addresses and phone numbers hidden. The one rule for messages, their previews and mails, and
 * the message a guest sends with a booking.
 */
export function shownText(
  text: string,
  writerId: string,
  viewer: Actor | undefined,
  contactsShared: boolean,
): { text: string; masked: boolean } {
  if (contactsShared || viewer?.isAdmin || viewer?.userId === writerId) return { text, masked: false };
  return maskContactDetails(text);
}

export function toMessage(row: MessageRow, viewer: Actor, contactsShared: boolean): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    senderId: row.senderId,
    ...shownText(row.text, row.senderId, viewer, contactsShared),
    createdAt: row.createdAt.toISOString(),
  };
}

/** The start of a message, cut after masking (a cut must not leave half a phone number showing). */
function toPreview(row: MessageRow, viewer: Actor, contactsShared: boolean): MessagePreview {
  const { text, masked } = shownText(row.text, row.senderId, viewer, contactsShared);
  const chars = [...text];
  const preview = chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS).join("")}…` : text;
  return { id: row.id, senderId: row.senderId, preview, masked, createdAt: row.createdAt.toISOString() };
}

/** How many messages of the other side `viewer` has not read (their own move their read mark). */
function unreadFor(viewer: Actor, row: ConversationRow): number {
  const side = sideOf(viewer, row);
  if (side === "guest") return row.lastSeq - row.guestReadSeq;
  if (side === "host") return row.lastSeq - row.hostReadSeq;
  return 0;
}

export function toConversation(
  { conversation, last, contactsShared }: ConversationRead,
  viewer: Actor,
): Conversation {
  return {
    id: conversation.id,
    listingId: conversation.listingId,
    guestId: conversation.guestId,
    hostId: conversation.hostId,
    contactDetailsShared: contactsShared,
    unreadCount: unreadFor(viewer, conversation),
    lastMessage: last ? toPreview(last, viewer, contactsShared) : null,
    lastActivityAt: conversation.lastActivityAt.toISOString(),
    createdAt: conversation.createdAt.toISOString(),
  };
}
