import { createRoute } from "@hono/zod-openapi";
import {
  conversationSchema,
  messageSchema,
  newMessageSchema,
  readMarkSchema,
} from "../../domain/messages/message-schemas.ts";
import { jsonBody, jsonContent } from "../../http/json.ts";
import { signedIn } from "../../http/middleware/auth.ts";
import { idempotencyHeaders, idempotent, replayedHeader } from "../../http/middleware/idempotency.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import { exampleIds } from "../example-ids.ts";
import { listingIdParams } from "../listings/listings.schemas.ts";
import {
  conversationMessagesExample,
  conversationPageExample,
  enquiryExample,
  readConversationExample,
  replyExample,
} from "./conversations.examples.ts";
import {
  conversationIdParams,
  conversationListQuery,
  conversationMessagesSchema,
  conversationPageSchema,
  conversationQuery,
} from "./conversations.schemas.ts";

const masking =
  "E-mail addresses and phone numbers in a message are hidden from its recipient (`[email hidden]`, " +
  "`[phone number hidden]`, `masked: true`) until a booking of the guest at the listing is " +
  "confirmed (again hidden once no such booking is confirmed or completed: after a cancellation); " +
  "the sender and admins see the original, which is what is stored.";

const noSuchConversation = {
  404: problemResponseFor("No such conversation, or not yours to see", {
    NOT_FOUND: "No conversation with this id.",
  }),
};

/** The 403 of `authResponses`, with what this operation says to an admin who reads but may not write. */
const adminsOnlyRead = (detail: string) => ({
  403: problemResponseFor("An admin who is not one of the two sides", { FORBIDDEN: detail }),
});

/** The answers of a POST that sends a message, with `Idempotency-Key`. */
const sent = (description: string, example: typeof enquiryExample) => ({
  201: {
    description,
    headers: { ...replayedHeader },
    content: jsonContent(messageSchema, example),
  },
  409: problemResponseFor("A request with this Idempotency-Key is still in progress (`CONFLICT`)", {
    CONFLICT: "A request with this Idempotency-Key is still in progress. Retry in a moment.",
  }),
  422: problemResponseFor("The Idempotency-Key was used with another request (`IDEMPOTENCY_MISMATCH`)", {
    IDEMPOTENCY_MISMATCH:
      "This Idempotency-Key was used with a different request. Use a new key for a new request.",
  }),
});

const rateLimited = {
  429: problemResponseFor("Too many messages: at most 20 a minute per sender; retry after `Retry-After`", {
    RATE_LIMITED: "Too many attempts. Try again in 42 seconds.",
  }),
};

const sending =
  "Text of 1 to 2,000 characters (Unicode code points), stored exactly as sent. At most 20 messages " +
  "a minute per sender, enquiries included (429 with `Retry-After`). Send an `Idempotency-Key` to " +
  "retry safely: a retry gets the first answer and sends nothing more.";

export const startConversation = createRoute({
  method: "post",
  path: "/listings/{id}/conversations",
  operationId: "conversations.start",
  tags: ["Messages"],
  summary: "Ask a listing's host a question",
  description:
    "An enquiry about a published listing, before booking or without: opens your conversation " +
    "with its host, or goes on in the one you have (one per guest and listing: a second enquiry, " +
    "or one after booking, lands in the same conversation). Answers the message, with its " +
    `\`conversationId\`. ${sending}`,
  ...signedIn,
  middleware: [...signedIn.middleware, idempotent("conversations.start")],
  request: {
    params: listingIdParams,
    headers: idempotencyHeaders,
    body: jsonBody(newMessageSchema, { text: enquiryExample.text }),
  },
  responses: {
    ...sent("Sent", enquiryExample),
    ...authResponses,
    403: problemResponseFor(authResponses[403].description, {
      FORBIDDEN: "Hosts cannot enquire about their own listing.",
    }),
    404: problemResponseFor("No such published listing", { NOT_FOUND: "No listing with this id." }),
    ...errorResponses,
    ...rateLimited,
  },
});

export const sendMessage = createRoute({
  method: "post",
  path: "/conversations/{id}/messages",
  operationId: "messages.send",
  tags: ["Messages"],
  summary: "Send a message",
  description: `The conversation's guest or host. Sending marks the conversation read for you up to your message. ${sending}`,
  ...signedIn,
  middleware: [...signedIn.middleware, idempotent("messages.send")],
  request: {
    params: conversationIdParams,
    headers: idempotencyHeaders,
    body: jsonBody(newMessageSchema, { text: replyExample.text }),
  },
  responses: {
    ...sent("Sent", replyExample),
    ...authResponses,
    ...adminsOnlyRead("Only the guest and the host write in their conversation."),
    ...noSuchConversation,
    ...errorResponses,
    ...rateLimited,
  },
});

export const listConversations = createRoute({
  method: "get",
  path: "/users/me/conversations",
  operationId: "conversations.listMine",
  tags: ["Messages"],
  summary: "Your conversations",
  description:
    "As guest, as host, or both: newest activity first, each with how many messages you have not " +
    `read and the start of its newest message. ${masking}`,
  ...signedIn,
  request: { query: conversationListQuery },
  responses: {
    200: {
      description: "A page of conversations",
      content: jsonContent(conversationPageSchema, conversationPageExample),
    },
    ...authResponses,
    ...errorResponses,
  },
});

export const getConversation = createRoute({
  method: "get",
  path: "/conversations/{id}",
  operationId: "conversations.get",
  tags: ["Messages"],
  summary: "A conversation and its messages",
  description:
    "For its guest, its host and admins (404 for anyone else). Messages come newest first; " +
    "`nextCursor` pages back to older ones. Reading marks nothing read: see " +
    `\`conversations.markRead\`. ${masking}`,
  ...signedIn,
  request: { params: conversationIdParams, query: conversationQuery },
  responses: {
    200: {
      description: "The conversation with a page of its messages",
      content: jsonContent(conversationMessagesSchema, conversationMessagesExample),
    },
    ...authResponses,
    ...noSuchConversation,
    ...errorResponses,
  },
});

export const markConversationRead = createRoute({
  method: "post",
  path: "/conversations/{id}/read",
  operationId: "conversations.markRead",
  tags: ["Messages"],
  summary: "Mark a conversation read",
  description:
    "Up to a message (`upTo`) or, without a body, all it holds now. Your read mark never moves " +
    "back: marking an older message changes nothing. Answers the conversation with your unread count.",
  ...signedIn,
  request: {
    params: conversationIdParams,
    body: jsonBody(readMarkSchema, { upTo: exampleIds.bookingMessage }, { required: false }),
  },
  responses: {
    200: {
      description: "The conversation",
      content: jsonContent(conversationSchema, readConversationExample),
    },
    ...authResponses,
    ...adminsOnlyRead("Only the guest and the host mark their conversation read."),
    ...noSuchConversation,
    ...errorResponses,
  },
});
