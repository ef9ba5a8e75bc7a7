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
 * A message's text as `viewer` sees it: the original for its sender and admins, and for both sides
 * once a booking is confirmed; before that, the recipient sees contact details hidden.
 */
function shownText(row: MessageRow, viewer: Actor, contactsShared: boolean) {
  if (contactsShared || viewer.isAdmin || viewer.userId === row.senderId) {
    return { text: row.text, masked: false };
  }
  return maskContactDetails(row.text);
}

export function toMessage(row: MessageRow, viewer: Actor, contactsShared: boolean): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    senderId: row.senderId,
    ...shownText(row, viewer, contactsShared),
    createdAt: row.createdAt.toISOString(),
  };
}

/** The start of a message, cut after masking (a cut must not leave half a phone number showing). */
function toPreview(row: MessageRow, viewer: Actor, contactsShared: boolean): MessagePreview {
  const { text, masked } = shownText(row, viewer, contactsShared);
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
