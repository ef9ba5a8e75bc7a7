import { createRouter } from "../../http/router.ts";
import * as handlers from "./conversations.handlers.ts";
import * as routes from "./conversations.routes.ts";

export const conversationsRoutes = createRouter()
  .openapi(routes.startConversation, handlers.startHandler)
  .openapi(routes.listConversations, handlers.listMineHandler)
  .openapi(routes.getConversation, handlers.getHandler)
  .openapi(routes.sendMessage, handlers.sendHandler)
  .openapi(routes.markConversationRead, handlers.markReadHandler);
