import { z } from "zod";
import { MESSAGE_MAX_CHARS, PREVIEW_CHARS } from "./vocabulary.ts";

/** Messages and conversations, described once: the API's answers and bodies, OpenAPI and the types. */

const instant = z.iso.datetime();

/** Characters as people count them: Unicode code points (an emoji is one), not UTF-16 units. */
const codePoints = (value: string) => [...value].length;

/**
 * A message's text: 1 to 2,000 code points, not only white space. Kept exactly as sent: never
 * trimmed or normalised (the router refuses NUL and lone surrogates before it gets here).
 */
const textUpToMax = z
  .string()
  .refine((value) => codePoints(value) <= MESSAGE_MAX_CHARS, `At most ${MESSAGE_MAX_CHARS} characters`);

export const messageText = textUpToMax
  .refine((value) => value.trim().length > 0, "Must not be blank")
  .meta({
    // JSON Schema counts a string's length in code points too.
    minLength: 1,
    maxLength: MESSAGE_MAX_CHARS,
    description:
      `1 to ${MESSAGE_MAX_CHARS} characters, counted as Unicode code points (an emoji is one); not only ` +
      "white space. Stored exactly as sent, never trimmed.",
  });

/**
 * The message that may come with a booking: a message's text, where blank (empty, or only white
 * space) means none, as it did before messages had rules of their own.
 */
export const optionalMessageText = textUpToMax
  .transform((value) => (value.trim() === "" ? undefined : value))
  .optional()
  .meta({
    maxLength: MESSAGE_MAX_CHARS,
    description:
      `Sent to the host as a message of your conversation about the listing: up to ${MESSAGE_MAX_CHARS} ` +
      "characters (Unicode code points), stored exactly as sent. Empty or only white space: no message.",
  });

export const messageSchema = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    senderId: z.uuid(),
    text: z.string().meta({
      description:
        "As its sender wrote it. Until a booking of the guest at the listing is confirmed, the " +
        "recipient sees e-mail addresses as `[email hidden]` and phone numbers as " +
        "`[phone number hidden]`; the sender and admins always see the original.",
    }),
    masked: z.boolean().meta({ description: "Whether contact details were hidden from `text` for you" }),
    createdAt: instant,
  })
  .meta({ id: "Message", description: "A message of a conversation, as the caller may see it." });

export type Message = z.output<typeof messageSchema>;

export const messagePreviewSchema = z
  .object({
    id: z.uuid(),
    senderId: z.uuid(),
    preview: z.string().meta({
      description: `Its first ${PREVIEW_CHARS} characters as you may see it (contact details hidden as in \`Message.text\`), with "…" when cut`,
    }),
    masked: z.boolean().meta({ description: "Whether contact details were hidden from it for you" }),
    createdAt: instant,
  })
  .meta({ id: "MessagePreview", description: "The start of a conversation's newest message." });

export type MessagePreview = z.output<typeof messagePreviewSchema>;

export const conversationSchema = z
  .object({
    id: z.uuid(),
    listingId: z.uuid(),
    guestId: z.uuid(),
    hostId: z.uuid().meta({ description: "The listing's host" }),
    contactDetailsShared: z.boolean().meta({
      description:
        "A booking of the guest at the listing is confirmed (or completed): messages show e-mail " +
        "addresses and phone numbers as written, to both sides. False again if that booking is cancelled",
    }),
    unreadCount: z
      .int()
      .min(0)
      .meta({
        description:
          "Messages from the other side you have not marked read (`conversations.markRead`); 0 for an " +
          "admin who is not one of the two sides",
      }),
    // A union, not `.nullable()`, which would make the MessagePreview component itself nullable.
    lastMessage: z
      .union([messagePreviewSchema, z.null()])
      .meta({ description: "The newest message; null before the first (a booking sent without one)" }),
    lastActivityAt: instant.meta({ description: "When the newest message was sent, or it was opened" }),
    createdAt: instant,
  })
  .meta({
    id: "Conversation",
    description:
      "The one conversation of a guest with a listing's host about that listing, as the caller sees it.",
  });

export type Conversation = z.output<typeof conversationSchema>;

export const newMessageSchema = z
  .object({ text: messageText })
  .strict()
  .meta({ id: "NewMessage", description: "A message to send." });

export type NewMessage = z.output<typeof newMessageSchema>;

export const readMarkSchema = z
  .object({
    upTo: z.uuid().optional().meta({
      description: "The newest message you have read (any message of the conversation); without it, all",
    }),
  })
  .strict()
  .meta({
    id: "ConversationRead",
    description: "How far you have read a conversation. A read mark never moves back.",
  });
