import { createRouter } from "../../http/router.ts";
import * as handlers from "./payments.handlers.ts";
import * as routes from "./payments.routes.ts";

export const paymentsRoutes = createRouter()
  .openapi(routes.startPayment, handlers.startHandler)
  .openapi(routes.getPayment, handlers.getHandler)
  .openapi(routes.simulatePayment, handlers.simulateHandler)
  .openapi(routes.connectPayouts, handlers.connectHandler)
  .openapi(routes.listPayouts, handlers.listPayoutsHandler)
  .openapi(routes.listPaymentIssues, handlers.issuesHandler)
  .openapi(routes.stripeWebhook, handlers.webhookHandler);
