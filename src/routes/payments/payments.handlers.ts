import type { RouteHandler } from "@hono/zod-openapi";
import { connectPayouts } from "../../domain/payments/connect-payouts.ts";
import { getPayment } from "../../domain/payments/get-payment.ts";
import { listPaymentIssues } from "../../domain/payments/list-payment-issues.ts";
import { listPayouts } from "../../domain/payments/list-payouts.ts";
import { receivePaymentEvent } from "../../domain/payments/receive-payment-event.ts";
import { simulatePayment } from "../../domain/payments/simulate-payment.ts";
import { startPayment } from "../../domain/payments/start-payment.ts";
import { domainContext } from "../../http/context.ts";
import { decodeNewestFirst, encodeNewestFirst } from "../../http/cursor.ts";
import type { AppEnv } from "../../http/types.ts";
import type * as routes from "./payments.routes.ts";

export const startHandler: RouteHandler<typeof routes.startPayment, AppEnv> = async (c) =>
  c.json(await startPayment({ ctx: domainContext(c), input: { bookingId: c.req.valid("param").id } }), 200);

export const getHandler: RouteHandler<typeof routes.getPayment, AppEnv> = async (c) =>
  c.json(await getPayment({ ctx: domainContext(c), input: { bookingId: c.req.valid("param").id } }), 200);

export const simulateHandler: RouteHandler<typeof routes.simulatePayment, AppEnv> = async (c) =>
  c.json(
    await simulatePayment({
      ctx: domainContext(c),
      input: { bookingId: c.req.valid("param").id, ...c.req.valid("json") },
    }),
    200,
  );

export const connectHandler: RouteHandler<typeof routes.connectPayouts, AppEnv> = async (c) => {
  const sent = c.req.valid("json");
  const home = c.get("deps").config.PUBLIC_URL ?? new URL(c.req.url).origin;
  return c.json(
    await connectPayouts({
      ctx: domainContext(c),
      input: { returnUrl: sent.returnUrl ?? home, refreshUrl: sent.refreshUrl ?? home },
    }),
    200,
  );
};

export const listPayoutsHandler: RouteHandler<typeof routes.listPayouts, AppEnv> = async (c) => {
  const { cursor, limit } = c.req.valid("query");
  const { items, next, account, balance } = await listPayouts({
    ctx: domainContext(c),
    input: { limit, after: decodeNewestFirst(cursor) },
  });
  return c.json({ items, nextCursor: encodeNewestFirst(next), account, balance }, 200);
};

export const issuesHandler: RouteHandler<typeof routes.listPaymentIssues, AppEnv> = async (c) =>
  c.json(await listPaymentIssues({ ctx: domainContext(c) }), 200);

export const webhookHandler: RouteHandler<typeof routes.stripeWebhook, AppEnv> = async (c) => {
  const receipt = await receivePaymentEvent({
    ctx: domainContext(c),
    input: { rawBody: await c.req.text(), signature: c.req.valid("header")["stripe-signature"] },
  });
  return c.json({ received: true as const, ...receipt }, 200);
};
