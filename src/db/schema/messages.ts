import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { MESSAGE_MAX_CHARS } from "../../domain/messages/vocabulary.ts";
import { users } from "./identity.ts";
import { listings } from "./listings.ts";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * The one conversation of a guest with a listing's host about that listing: opened by the guest's
 * first enquiry or by their first booking, whichever comes first. Messages are numbered in it
 * (`seq`, 1, 2, …) under its row lock; each side's read marker is the `seq` it has read up to.
 */
export const conversations = pgTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    listingId: text("listing_id")
      .notNull()
      .references(() => listings.id),
    guestId: text("guest_id")
      .notNull()
      .references(() => users.id),
    /** The listing's host. */
    hostId: text("host_id")
      .notNull()
      .references(() => users.id),
    /** The `seq` of the newest message; 0 before the first. */
    lastSeq: integer("last_seq").notNull().default(0),
    /** Each side has read up to this `seq` (sending a message reads up to it). */
    guestReadSeq: integer("guest_read_seq").notNull().default(0),
    hostReadSeq: integer("host_read_seq").notNull().default(0),
    /** When it was opened, then when its newest message was sent: lists sort on it. */
    lastActivityAt: timestamptz("last_activity_at").notNull(),
    createdAt: timestamptz("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("conversations_listing_guest_idx").on(t.listingId, t.guestId),
    index("conversations_guest_idx").on(t.guestId, t.lastActivityAt, t.id),
    index("conversations_host_idx").on(t.hostId, t.lastActivityAt, t.id),
    check("conversations_parties_check", sql`${t.guestId} <> ${t.hostId}`),
    check(
      "conversations_read_check",
      sql`${t.guestReadSeq} between 0 and ${t.lastSeq} and ${t.hostReadSeq} between 0 and ${t.lastSeq}`,
    ),
  ],
);

/** A message of a conversation, its text stored exactly as its sender wrote it. */
export const messages = pgTable(
  "messages",
  {
    id: text("id").primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id),
    /** Its number in the conversation: 1, 2, … in the order they were sent. */
    seq: integer("seq").notNull(),
    senderId: text("sender_id")
      .notNull()
      .references(() => users.id),
    text: text("text").notNull(),
    createdAt: timestamptz("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("messages_conversation_seq_idx").on(t.conversationId, t.seq),
    check("messages_seq_check", sql`${t.seq} >= 1`),
    // char_length counts code points, as the API does.
    check(
      "messages_text_check",
      sql`char_length(${t.text}) between 1 and ${sql.raw(String(MESSAGE_MAX_CHARS))}`,
    ),
  ],
);
