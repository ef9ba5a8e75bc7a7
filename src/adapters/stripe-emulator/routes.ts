import {
  createAccount,
  createAccountLink,
  createTransfer,
  retrieveAccount,
  retrieveTransfer,
} from "./connect.ts";
import { EmulatorError } from "./errors.ts";
import type { FormObject } from "./form.ts";
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  retrievePaymentIntent,
} from "./payments.ts";
import { createRefund, retrieveRefund } from "./refunds.ts";
import type { OperationContext } from "./store.ts";

type Handler = (ctx: OperationContext, params: FormObject, id: string) => object;

interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  handle: Handler;
}

const ID = "([A-Za-z0-9_]+)";

const ROUTES: Route[] = [
  {
    method: "POST",
    pattern: /^\/v1\/payment_intents$/,
    handle: (ctx, params) => createPaymentIntent(ctx, params),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/payment_intents/${ID}$`),
    handle: (ctx, _, id) => retrievePaymentIntent(ctx, id),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/v1/payment_intents/${ID}/confirm$`),
    handle: (ctx, params, id) => confirmPaymentIntent(ctx, id, params),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/v1/payment_intents/${ID}/capture$`),
    handle: (ctx, params, id) => capturePaymentIntent(ctx, id, params),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/v1/payment_intents/${ID}/cancel$`),
    handle: (ctx, params, id) => cancelPaymentIntent(ctx, id, params),
  },
  { method: "POST", pattern: /^\/v1\/refunds$/, handle: (ctx, params) => createRefund(ctx, params) },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/refunds/${ID}$`),
    handle: (ctx, _, id) => retrieveRefund(ctx, id),
  },
  { method: "POST", pattern: /^\/v1\/accounts$/, handle: (ctx, params) => createAccount(ctx, params) },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/accounts/${ID}$`),
    handle: (ctx, _, id) => retrieveAccount(ctx, id),
  },
  {
    method: "POST",
    pattern: /^\/v1\/account_links$/,
    handle: (ctx, params) => createAccountLink(ctx, params),
  },
  { method: "POST", pattern: /^\/v1\/transfers$/, handle: (ctx, params) => createTransfer(ctx, params) },
  {
    method: "GET",
    pattern: new RegExp(`^/v1/transfers/${ID}$`),
    handle: (ctx, _, id) => retrieveTransfer(ctx, id),
  },
];

/** Runs the operation a request names; throws an EmulatorError for Stripe's error answers. */
export function dispatch(ctx: OperationContext, method: string, path: string, params: FormObject): object {
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (match) return route.handle(ctx, params, match[1] ?? "");
  }
  throw new EmulatorError(404, {
    type: "invalid_request_error",
    message: `Unrecognized request URL (${method}: ${path}).`,
  });
}
