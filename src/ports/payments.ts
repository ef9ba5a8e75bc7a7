import type { CaptureMethod, IntentStatus, RefundStatus } from "../domain/payments/vocabulary.ts";

/** A Stripe PaymentIntent as the app reads it. Amounts in minor units; currency upper-case ISO 4217. */
export interface PaymentIntent {
  id: string;
  status: IntentStatus;
  amount: number;
  currency: string;
  captureMethod: CaptureMethod;
  amountReceived: number;
  amountCapturable: number;
  /** The charge (`ch_…`) once the card was charged or authorised. */
  chargeId: string | null;
  clientSecret: string | null;
  /** From the intent's metadata: the booking it pays for. */
  bookingId: string | null;
  /** Why the last attempt to pay failed, if it did. */
  failure: string | null;
}

export interface PaymentRefund {
  id: string;
  status: RefundStatus;
  amount: number;
  currency: string;
  intentId: string | null;
  /** From the refund's metadata: the app's refund row that asked for it, if the app did. */
  refundId: string | null;
}

export interface ConnectedAccount {
  id: string;
  detailsSubmitted: boolean;
  payoutsEnabled: boolean;
}

/**
 * A verified webhook event, reduced to what it is about: the app reads that object again from the
 * provider (events arrive late, twice and out of order; the object's current state does not).
 */
export interface PaymentEvent {
  id: string;
  type: string;
  about: { kind: "payment_intent" | "refund" | "account"; id: string } | null;
}

/**
 * Why a call to the payment provider failed: it refused the request (`refused`, e.g. a card
 * declined or an amount too large: trying again changes nothing) or could not be reached or
 * answered an error of its own (`unavailable`: try again later, with the same idempotency key).
 */
export class PaymentProviderError extends Error {
  readonly kind: "refused" | "unavailable";
  readonly code: string | undefined;
  constructor(kind: "refused" | "unavailable", message: string, code?: string) {
    super(message);
    this.name = "PaymentProviderError";
    this.kind = kind;
    this.code = code;
  }
}

/** A webhook whose signature is missing, wrong or too old. */
export class PaymentSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PaymentSignatureError";
  }
}

/**
 * Money through Stripe: the real API with STRIPE_SECRET_KEY, else a simulated Stripe in process
 * (`simulated`) that behaves like its test mode. Every call that moves money takes an idempotency
 * key, so a retry never moves it twice.
 */
export interface Payments {
  createIntent(input: {
    amount: number;
    currency: string;
    captureMethod: CaptureMethod;
    bookingId: string;
    idempotencyKey: string;
  }): Promise<PaymentIntent>;
  getIntent(id: string): Promise<PaymentIntent>;
  /** Captures `amount` (Stripe's `amount_to_capture`; all that is capturable by default) and releases the rest. */
  captureIntent(id: string, idempotencyKey: string, amount?: number): Promise<PaymentIntent>;
  cancelIntent(id: string, idempotencyKey: string): Promise<PaymentIntent>;
  refund(input: {
    intentId: string;
    amount: number;
    bookingId: string;
    refundId: string;
    idempotencyKey: string;
  }): Promise<PaymentRefund>;
  getRefund(id: string): Promise<PaymentRefund>;
  transfer(input: {
    amount: number;
    currency: string;
    accountId: string;
    chargeId: string;
    bookingId: string;
    idempotencyKey: string;
  }): Promise<{ id: string }>;
  createAccount(input: { userId: string; email: string; idempotencyKey: string }): Promise<ConnectedAccount>;
  getAccount(id: string): Promise<ConnectedAccount>;
  onboardingLink(input: {
    accountId: string;
    refreshUrl: string;
    returnUrl: string;
  }): Promise<{ url: string; expiresAt: Date }>;
  /** Verifies a webhook's signature (300 s tolerance) over the raw body; `PaymentSignatureError` if it fails. */
  verifyEvent(rawBody: string, signature: string | undefined): Promise<PaymentEvent>;
  /** What only the simulated provider can do; undefined with a real key. */
  simulation?: PaymentSimulation | undefined;
}

/** A guest's card and a host's onboarding, played by the simulated provider. */
export interface PaymentSimulation {
  /** Pays an intent as Stripe's test card would (`succeed`), or has the card declined (`fail`). */
  pay(intentId: string, outcome: "succeed" | "fail"): Promise<PaymentIntent>;
  /** The host completes Stripe's onboarding: the account can receive payouts. */
  completeOnboarding(accountId: string): Promise<void>;
}
