import { z } from "@hono/zod-openapi";
import { conversationSchema, messageSchema } from "../../domain/messages/message-schemas.ts";
import { cursorQuery, decodeCursor, encodeCursor, pageSchema } from "../../http/cursor.ts";
import { exampleIds } from "../example-ids.ts";

export const conversationIdParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: exampleIds.conversation }),
});

const limit = z.coerce.number().int().min(1).max(100).default(20);

export const conversationListQuery = z.object({
  as: z.enum(["guest", "host"]).optional().openapi({
    description: "`guest`: your enquiries and trips; `host`: your listings' guests; without it, both",
  }),
  limit,
  cursor: cursorQuery,
});

export const conversationQuery = z.object({
  limit: limit.openapi({ description: "Messages per page" }),
  cursor: cursorQuery,
});

export const conversationPageSchema = pageSchema(conversationSchema, "ConversationPage");

export const conversationMessagesSchema = conversationSchema
  .extend({
    messages: z.array(messageSchema).openapi({ description: "Newest first" }),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for older messages; null once the first is shown" }),
  })
  .openapi("ConversationMessages", {
    description: "A conversation with a page of its messages, newest first.",
  });

/** The largest value of a PostgreSQL `integer`: a message's number is one. */
const MAX_SEQ = 2_147_483_647;

/** Cursor of a conversation's messages: the conversation, and the number of the oldest message shown. */
export function encodeMessageCursor(conversationId: string, seq: number | undefined): string | null {
  return seq === undefined ? null : encodeCursor({ c: conversationId, s: seq });
}

/** A cursor handed out for another conversation is as invalid as a forged one. */
export function decodeMessageCursor(cursor: string | undefined, conversationId: string): number | undefined {
  if (!cursor) return undefined;
  const schema = z.object({ c: z.literal(conversationId), s: z.int().min(2).max(MAX_SEQ) });
  return decodeCursor(cursor, schema).s;
}
