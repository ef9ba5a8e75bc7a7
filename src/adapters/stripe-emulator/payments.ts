import {
  EmulatorError,
  invalidRequest,
  parameterMissing,
  resourceMissing,
  unexpectedState,
} from "./errors.ts";
import type { FormObject } from "./form.ts";
import { currency, metadata, oneOf, optionalAmount, optionalString, requiredAmount } from "./params.ts";
import {
  type Charge,
  type OperationContext,
  type PaymentIntent,
  type PaymentIntentStatus,
  randomId,
  randomToken,
} from "./store.ts";

// Stripe's test payment methods: this one declines, every other `pm_card_…` succeeds.
const DECLINING_METHOD = "pm_card_chargeDeclined";

export function createPaymentIntent(ctx: OperationContext, params: FormObject): PaymentIntent {
  const amount = requiredAmount(params, "amount");
  const code = currency(params);
  const capture = oneOf(params, "capture_method", ["automatic", "automatic_async", "manual"]);
  const paymentMethod = optionalString(params, "payment_method") ?? null;
  const id = randomId("pi");
  const intent: PaymentIntent = {
    id,
    object: "payment_intent",
    amount,
    amount_capturable: 0,
    amount_received: 0,
    currency: code,
    capture_method: capture === "manual" ? "manual" : "automatic",
    client_secret: `${id}_secret_${randomToken()}`,
    status: paymentMethod ? "requires_confirmation" : "requires_payment_method",
    payment_method: paymentMethod,
    latest_charge: null,
    last_payment_error: null,
    description: optionalString(params, "description") ?? null,
    cancellation_reason: null,
    canceled_at: null,
    metadata: metadata(params),
    created: ctx.created,
    livemode: false,
  };
  ctx.state.paymentIntents.set(id, intent);
  ctx.emit("payment_intent.created", intent);
  return intent;
}

export function retrievePaymentIntent(ctx: OperationContext, id: string): PaymentIntent {
  const intent = ctx.state.paymentIntents.get(id);
  if (!intent) throw resourceMissing("payment_intent", id);
  return intent;
}

export function confirmPaymentIntent(ctx: OperationContext, id: string, params: FormObject): PaymentIntent {
  const intent = retrievePaymentIntent(ctx, id);
  requireStatus(intent, ["requires_payment_method", "requires_confirmation"], "confirm");
  const method = optionalString(params, "payment_method") ?? intent.payment_method;
  if (!method) throw parameterMissing("payment_method");
  if (!method.startsWith("pm_card_")) throw resourceMissing("PaymentMethod", method, "payment_method");

  if (method === DECLINING_METHOD) {
    const message = "Your card was declined.";
    intent.status = "requires_payment_method";
    intent.payment_method = null;
    intent.last_payment_error = {
      type: "card_error",
      code: "card_declined",
      decline_code: "generic_decline",
      message,
    };
    ctx.emit("payment_intent.payment_failed", intent);
    throw new EmulatorError(402, {
      type: "card_error",
      code: "card_declined",
      decline_code: "generic_decline",
      message,
      payment_intent: structuredClone(intent),
    });
  }

  const automatic = intent.capture_method === "automatic";
  const charge: Charge = {
    id: randomId("ch"),
    object: "charge",
    amount: intent.amount,
    amount_captured: automatic ? intent.amount : 0,
    amount_refunded: 0,
    captured: automatic,
    refunded: false,
    paid: true,
    status: "succeeded",
    currency: intent.currency,
    payment_intent: intent.id,
    metadata: { ...intent.metadata },
    created: ctx.created,
    livemode: false,
  };
  ctx.state.charges.set(charge.id, charge);
  Object.assign(intent, {
    payment_method: method,
    latest_charge: charge.id,
    last_payment_error: null,
    status: automatic ? "succeeded" : "requires_capture",
    amount_received: automatic ? intent.amount : 0,
    amount_capturable: automatic ? 0 : intent.amount,
  } satisfies Partial<PaymentIntent>);
  if (automatic) {
    ctx.emit("charge.succeeded", charge);
    ctx.emit("payment_intent.succeeded", intent);
  } else {
    ctx.emit("payment_intent.amount_capturable_updated", intent);
  }
  return intent;
}

export function capturePaymentIntent(ctx: OperationContext, id: string, params: FormObject): PaymentIntent {
  const intent = retrievePaymentIntent(ctx, id);
  requireStatus(intent, ["requires_capture"], "capture");
  const amount = optionalAmount(params, "amount_to_capture") ?? intent.amount_capturable;
  if (amount > intent.amount_capturable) {
    throw invalidRequest(
      `The amount to capture (${amount}) is greater than the amount capturable (${intent.amount_capturable}).`,
      { code: "amount_too_large", param: "amount_to_capture" },
    );
  }
  const charge = intent.latest_charge ? ctx.state.charges.get(intent.latest_charge) : undefined;
  if (charge) Object.assign(charge, { captured: true, amount_captured: amount });
  Object.assign(intent, {
    status: "succeeded",
    amount_received: amount,
    amount_capturable: 0,
  } satisfies Partial<PaymentIntent>);
  ctx.emit("payment_intent.succeeded", intent);
  return intent;
}

export function cancelPaymentIntent(ctx: OperationContext, id: string, params: FormObject): PaymentIntent {
  const intent = retrievePaymentIntent(ctx, id);
  requireStatus(intent, ["requires_payment_method", "requires_confirmation", "requires_capture"], "cancel");
  Object.assign(intent, {
    status: "canceled",
    canceled_at: ctx.created,
    cancellation_reason: optionalString(params, "cancellation_reason") ?? null,
    amount_capturable: 0,
  } satisfies Partial<PaymentIntent>);
  ctx.emit("payment_intent.canceled", intent);
  return intent;
}

/**
 * Not an API call: Stripe itself cancels an authorisation left uncaptured for its capture window
 * (7 days for most cards), with `cancellation_reason: "automatic"`, and says so in an event.
 */
export function expireAuthorization(ctx: OperationContext, id: string): PaymentIntent {
  const intent = retrievePaymentIntent(ctx, id);
  requireStatus(intent, ["requires_capture"], "expire");
  Object.assign(intent, {
    status: "canceled",
    canceled_at: ctx.created,
    cancellation_reason: "automatic",
    amount_capturable: 0,
  } satisfies Partial<PaymentIntent>);
  ctx.emit("payment_intent.canceled", intent);
  return intent;
}

function requireStatus(intent: PaymentIntent, allowed: PaymentIntentStatus[], action: string): void {
  if (allowed.includes(intent.status)) return;
  throw unexpectedState(
    `You cannot ${action} this PaymentIntent because it has a status of ${intent.status}. ` +
      `Allowed statuses: ${allowed.join(", ")}.`,
  );
}
