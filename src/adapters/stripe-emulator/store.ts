import type Stripe from "stripe";
import type { Metadata } from "./params.ts";

// Typed against the SDK, so upgrading `stripe` to another pinned version fails typecheck here.
const API_VERSION: Stripe.LatestApiVersion = "2026-11-18.endive";

export type PaymentIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_capture"
  | "succeeded"
  | "canceled";

export interface PaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  capture_method: "automatic" | "manual";
  client_secret: string;
  status: PaymentIntentStatus;
  payment_method: string | null;
  latest_charge: string | null;
  last_payment_error: { type: "card_error"; code: string; decline_code: string; message: string } | null;
  description: string | null;
  cancellation_reason: string | null;
  canceled_at: number | null;
  metadata: Metadata;
  created: number;
  livemode: false;
}

export interface Charge {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  refunded: boolean;
  paid: true;
  status: "succeeded";
  currency: string;
  payment_intent: string;
  metadata: Metadata;
  created: number;
  livemode: false;
}

export type RefundStatus = "succeeded" | "pending" | "failed";

export interface Refund {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  status: RefundStatus;
  reason: string | null;
  failure_reason?: string;
  metadata: Metadata;
  created: number;
}

export interface Account {
  id: string;
  object: "account";
  type: "express";
  email: string | null;
  country: string;
  capabilities: Record<string, "active" | "inactive">;
  details_submitted: boolean;
  charges_enabled: boolean;
  payouts_enabled: boolean;
  metadata: Metadata;
  created: number;
}

export interface Transfer {
  id: string;
  object: "transfer";
  amount: number;
  amount_reversed: number;
  currency: string;
  destination: string;
  source_transaction: string | null;
  transfer_group: string | null;
  description: string | null;
  metadata: Metadata;
  reversed: false;
  created: number;
  livemode: false;
}

export interface EmulatedEvent {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  livemode: false;
  pending_webhooks: number;
  type: string;
  /** Null for changes made by the emulator's test controls (Stripe's own automatic events). */
  request: { id: string | null; idempotency_key: string | null };
  data: { object: Record<string, unknown> };
}

export interface State {
  paymentIntents: Map<string, PaymentIntent>;
  charges: Map<string, Charge>;
  refunds: Map<string, Refund>;
  accounts: Map<string, Account>;
  transfers: Map<string, Transfer>;
  refundOutcome: RefundStatus;
}

/** What one operation sees: the state, its clock reading, and where its events go. */
export interface OperationContext {
  state: State;
  created: number;
  emit(type: string, object: object): void;
}

export const emptyState = (): State => ({
  paymentIntents: new Map(),
  charges: new Map(),
  refunds: new Map(),
  accounts: new Map(),
  transfers: new Map(),
  refundOutcome: "succeeded",
});

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomToken(length = 24): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => BASE62[byte % BASE62.length]).join("");
}

export const randomId = (prefix: string): string => `${prefix}_${randomToken()}`;

export function buildEvent(
  type: string,
  object: object,
  created: number,
  request: EmulatedEvent["request"],
): EmulatedEvent {
  return {
    id: randomId("evt"),
    object: "event",
    api_version: API_VERSION,
    created,
    livemode: false,
    pending_webhooks: 1,
    type,
    request,
    data: { object: structuredClone(object) as Record<string, unknown> },
  };
}
