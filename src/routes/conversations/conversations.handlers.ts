import type { RouteHandler } from "@hono/zod-openapi";
import { getConversation } from "../../domain/messages/get-conversation.ts";
import { listConversations } from "../../domain/messages/list-conversations.ts";
import { markConversationRead } from "../../domain/messages/mark-conversation-read.ts";
import { sendMessage } from "../../domain/messages/send-message.ts";
import { startConversation } from "../../domain/messages/start-conversation.ts";
import { domainContext } from "../../http/context.ts";
import { decodeNewestFirst, encodeNewestFirst } from "../../http/cursor.ts";
import type { AppEnv } from "../../http/types.ts";
import type * as routes from "./conversations.routes.ts";
import { decodeMessageCursor, encodeMessageCursor } from "./conversations.schemas.ts";

export const startHandler: RouteHandler<typeof routes.startConversation, AppEnv> = async (c) =>
  c.json(
    await startConversation({
      ctx: domainContext(c),
      input: { ...c.req.valid("json"), listingId: c.req.valid("param").id },
    }),
    201,
  );

export const sendHandler: RouteHandler<typeof routes.sendMessage, AppEnv> = async (c) =>
  c.json(
    await sendMessage({
      ctx: domainContext(c),
      input: { ...c.req.valid("json"), conversationId: c.req.valid("param").id },
    }),
    201,
  );

export const listMineHandler: RouteHandler<typeof routes.listConversations, AppEnv> = async (c) => {
  const { as, limit, cursor } = c.req.valid("query");
  const { items, next } = await listConversations({
    ctx: domainContext(c),
    input: { as, limit, after: decodeNewestFirst(cursor) },
  });
  return c.json({ items, nextCursor: encodeNewestFirst(next) }, 200);
};

export const getHandler: RouteHandler<typeof routes.getConversation, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { limit, cursor } = c.req.valid("query");
  const { conversation, messages, next } = await getConversation({
    ctx: domainContext(c),
    input: { id, limit, before: decodeMessageCursor(cursor, id) },
  });
  return c.json({ ...conversation, messages, nextCursor: encodeMessageCursor(id, next) }, 200);
};

export const markReadHandler: RouteHandler<typeof routes.markConversationRead, AppEnv> = async (c) =>
  c.json(
    await markConversationRead({
      ctx: domainContext(c),
      input: { ...c.req.valid("json"), ...c.req.valid("param") },
    }),
    200,
  );
