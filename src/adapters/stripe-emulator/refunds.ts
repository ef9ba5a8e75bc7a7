import { invalidRequest, parameterMissing, resourceMissing } from "./errors.ts";
import type { FormObject } from "./form.ts";
import { metadata, oneOf, optionalAmount, optionalString } from "./params.ts";
import { type Charge, type OperationContext, type Refund, randomId, type State } from "./store.ts";

const REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const;

/** Pending refunds hold their amount too: Stripe will not let two refunds promise the same money. */
export function refundedOrPending(state: State, chargeId: string): number {
  let total = 0;
  for (const refund of state.refunds.values()) {
    if (refund.charge === chargeId && refund.status !== "failed") total += refund.amount;
  }
  return total;
}

export function createRefund(ctx: OperationContext, params: FormObject): Refund {
  const charge = chargeToRefund(ctx, params);
  const left = charge.amount_captured - refundedOrPending(ctx.state, charge.id);
  if (left === 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
      code: "charge_already_refunded",
    });
  }
  const amount = optionalAmount(params, "amount") ?? left;
  if (amount > left) {
    throw invalidRequest(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left}).`, {
      code: "amount_too_large",
      param: "amount",
    });
  }
  const status = ctx.state.refundOutcome;
  const refund: Refund = {
    id: randomId("re"),
    object: "refund",
    amount,
    currency: charge.currency,
    charge: charge.id,
    payment_intent: charge.payment_intent,
    status,
    reason: oneOf(params, "reason", REASONS) ?? null,
    metadata: metadata(params),
    created: ctx.created,
  };
  if (status === "failed") refund.failure_reason = "expired_or_canceled_card";
  ctx.state.refunds.set(refund.id, refund);
  if (status === "succeeded") applyToCharge(charge, refund);
  ctx.emit("refund.created", refund);
  if (status === "succeeded") ctx.emit("charge.refunded", charge);
  // Stripe announces a refund failing as an update (and, on newer accounts, refund.failed).
  if (status === "failed") announceFailure(ctx, refund);
  return refund;
}

export function retrieveRefund(ctx: OperationContext, id: string): Refund {
  const refund = ctx.state.refunds.get(id);
  if (!refund) throw resourceMissing("refund", id);
  return refund;
}

/** Moves a pending refund on, as the card network eventually does. */
export function settleRefund(ctx: OperationContext, id: string, status: "succeeded" | "failed"): Refund {
  const refund = retrieveRefund(ctx, id);
  if (refund.status !== "pending") throw new Error(`refund ${id} is ${refund.status}, not pending`);
  const charge = ctx.state.charges.get(refund.charge);
  if (!charge) throw new Error(`refund ${id} names no known charge`);
  refund.status = status;
  if (status === "failed") {
    announceFailure(ctx, refund);
  } else {
    applyToCharge(charge, refund);
    ctx.emit("refund.updated", refund);
    ctx.emit("charge.refunded", charge);
  }
  return refund;
}

function announceFailure(ctx: OperationContext, refund: Refund): void {
  refund.failure_reason = "expired_or_canceled_card";
  ctx.emit("refund.updated", refund);
  ctx.emit("refund.failed", refund);
}

function applyToCharge(charge: Charge, refund: Refund): void {
  charge.amount_refunded += refund.amount;
  charge.refunded = charge.amount_refunded >= charge.amount_captured;
}

function chargeToRefund(ctx: OperationContext, params: FormObject): Charge {
  const intentId = optionalString(params, "payment_intent");
  if (intentId !== undefined) {
    const intent = ctx.state.paymentIntents.get(intentId);
    if (!intent) throw resourceMissing("payment_intent", intentId, "payment_intent");
    return capturedCharge(ctx, intent.latest_charge, "payment_intent");
  }
  const chargeId = optionalString(params, "charge");
  if (chargeId === undefined) throw parameterMissing("payment_intent");
  if (!ctx.state.charges.has(chargeId)) throw resourceMissing("charge", chargeId, "charge");
  return capturedCharge(ctx, chargeId, "charge");
}

function capturedCharge(ctx: OperationContext, id: string | null, param: string): Charge {
  const charge = id ? ctx.state.charges.get(id) : undefined;
  if (!charge?.captured) {
    throw invalidRequest("There is no captured charge to refund: cancel the PaymentIntent instead.", {
      code: "charge_not_captured",
      param,
    });
  }
  return charge;
}
