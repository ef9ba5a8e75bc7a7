import type { z } from "@hono/zod-openapi";
import type { Conversation, Message } from "../../domain/messages/message-schemas.ts";
import { exampleIds } from "../example-ids.ts";
import type { conversationMessagesSchema, conversationPageSchema } from "./conversations.schemas.ts";

/**
 * The reference's examples of messages: the guest of `bookings.examples.ts` asks about the listing
 * two days before booking it, leaving a phone number; the host answers; the booking's own message
 * follows. The booking is still a request, so the host sees the phone number hidden.
 */

const enquiryText = "Hello! Is the flat quiet at night? You can reach me on +33 6 12 34 56 78.";

/** The guest's enquiry, as its sender sees it. */
export const enquiryExample: Message = {
  id: exampleIds.enquiry,
  conversationId: exampleIds.conversation,
  senderId: exampleIds.guest,
  text: enquiryText,
  masked: false,
  createdAt: "2027-02-18T16:40:12.208Z",
};

/** The host's answer, as its sender sees it. */
export const replyExample: Message = {
  id: exampleIds.reply,
  conversationId: exampleIds.conversation,
  senderId: exampleIds.host,
  text: "Very quiet: the bedroom faces the courtyard. See you soon!",
  masked: false,
  createdAt: "2027-02-18T19:03:55.671Z",
};

/** The booking's message, sent with the request to book. */
const bookingMessageExample: Message = {
  id: exampleIds.bookingMessage,
  conversationId: exampleIds.conversation,
  senderId: exampleIds.guest,
  text: "Arriving by train around six.",
  masked: false,
  createdAt: "2027-02-20T09:14:03.512Z",
};

/** As the host sees it after the request to book: its message not read yet. */
export const conversationExample: Conversation = {
  id: exampleIds.conversation,
  listingId: exampleIds.listing,
  guestId: exampleIds.guest,
  hostId: exampleIds.host,
  contactDetailsShared: false,
  unreadCount: 1,
  lastMessage: {
    id: bookingMessageExample.id,
    senderId: exampleIds.guest,
    preview: bookingMessageExample.text,
    masked: false,
    createdAt: bookingMessageExample.createdAt,
  },
  lastActivityAt: bookingMessageExample.createdAt,
  createdAt: enquiryExample.createdAt,
};

/** Once the host marked it read. */
export const readConversationExample: Conversation = { ...conversationExample, unreadCount: 0 };

/** The whole conversation as the host sees it, newest first: the guest's phone number hidden. */
export const conversationMessagesExample: z.output<typeof conversationMessagesSchema> = {
  ...conversationExample,
  messages: [
    bookingMessageExample,
    replyExample,
    {
      ...enquiryExample,
      text: "Hello! Is the flat quiet at night? You can reach me on [phone number hidden].",
      masked: true,
    },
  ],
  nextCursor: null,
};

export const conversationPageExample: z.output<typeof conversationPageSchema> = {
  items: [conversationExample],
  nextCursor: null,
};
