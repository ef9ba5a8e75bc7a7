import type { Config } from "./config.ts";
import type { DatabasePort } from "./db/database.ts";
import type { CaptureMethod, IntentStatus, RefundStatus } from "./domain/payments/vocabulary.ts";

/** Everything that differs between runtimes (DESIGN §1). Domain code sees only these types. */
export interface Deps {
  config: Config;
  database: DatabasePort;
  cache: Cache;
  rateLimiter: RateLimiter;
  calendarLock: CalendarLock;
  jobs: Jobs;
  mailer: Mailer;
  payments: Payments;
  outbound: Outbound;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  /** The caller's IP address: `cf-connecting-ip` on Workers, the socket (or a trusted proxy's header) on Node. */
  clientIp(request: Request, env: unknown): string;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** A new unique, roughly time-ordered id (UUIDv7). */
  next(): string;
}

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

/**
 * Cache-aside store for public reads (listings, search answers). Values are JSON-serialisable and
 * read-only: a caller never changes a value after `set`, nor one it got (the in-process adapter
 * shares them). A value is never served after its TTL, however short; a `get` may miss earlier
 * (an adapter may evict any value).
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  remaining: number;
  /** When the caller may try again, in epoch milliseconds. */
  resetAt: number;
}

export interface RateLimiter {
  check(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
}

/**
 * Serialises date holds per listing: the ListingCalendar Durable Object on Workers, a mutex in
 * process on Node. The database exclusion constraint stays the final guarantee if the lock is
 * bypassed or lost.
 */
export interface CalendarLock {
  withLock<T>(listingId: string, work: () => Promise<T>): Promise<T>;
  /**
   * A hold on the listing runs out at `at`: expire it then (a Durable Object alarm on Workers).
   * The periodic tick expires holds on every runtime anyway; this only makes it punctual.
   */
  wakeAt(listingId: string, at: Date): Promise<void>;
}

export interface Job {
  /** The same on every delivery of one message (the outbox id): consumers recognise a repeat by it. */
  id?: string;
  topic: string;
  payload: unknown;
}

export type JobHandler = (job: Job, deps: Deps) => Promise<void>;

/** Background work: Queues on Workers, an in-process queue on Node. */
export interface Jobs {
  enqueue(job: Job): Promise<void>;
}

/**
 * Requests to servers on the internet: the calendar feeds hosts import. The domain checks every
 * URL and every hop before it asks (src/domain/calendar-sync/feed-target.ts).
 */
export interface Outbound {
  /** One request; never follows a redirect (the caller checks where it leads first). */
  fetch(url: string, init: { headers: Record<string, string>; signal: AbortSignal }): Promise<Response>;
  /**
   * Every address `hostname` resolves to, on Node. Undefined on Workers, which cannot resolve
   * names, and need not: Cloudflare's fetch never reaches a private network.
   */
  resolve(hostname: string): Promise<string[] | undefined>;
}

/** The outbound port would not connect: the host resolved to an address that is not public. */
export class OutboundRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundRefusedError";
  }
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The same message as HTML (src/domain/notifications/templates/render.ts writes both). */
  html?: string | undefined;
}

/**
 * Outgoing e-mail. Delivered from the outbox by a job, never inside a request's transaction. A
 * message sent again with the same `idempotencyKey` is delivered once.
 */
export interface Mailer {
  /** Throws `MailDeliveryError` when the message did not leave; `signal` gives up waiting. */
  send(
    message: MailMessage,
    options?: { idempotencyKey?: string | undefined; signal?: AbortSignal | undefined },
  ): Promise<void>;
}

/**
 * Why an e-mail did not leave: the provider refused it (`refused`: a bad address, a sender it
 * does not accept, a wrong key; trying again changes nothing) or could not take it now
 * (`unavailable`: no answer, rate limited, its own error; try again, with the same key).
 */
export class MailDeliveryError extends Error {
  readonly kind: "refused" | "unavailable";
  /** The provider's name for the error, when it gave one. */
  readonly code: string | undefined;
  /** A refusal: the job that met it is dead at once (`isPermanentFailure`). */
  readonly permanent: boolean;
  /** How long the provider asked to be left alone (its `Retry-After`), when it said. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    kind: "refused" | "unavailable",
    message: string,
    details: { code?: string | undefined; retryAfterSeconds?: number | undefined } = {},
  ) {
    super(message);
    this.name = kind === "refused" ? "MailRefusedError" : "MailUnavailableError";
    this.kind = kind;
    this.code = details.code;
    this.permanent = kind === "refused";
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** Whether a job's failure is one no retry can fix (an error that says `permanent: true`). */
export function isPermanentFailure(error: unknown): boolean {
  return error instanceof Error && (error as { permanent?: unknown }).permanent === true;
}

/** How long a job's failure asks to wait before the next try (an error's `retryAfterSeconds`), if it does. */
export function retryAfterOf(error: unknown): number | undefined {
  const seconds =
    error instanceof Error ? (error as { retryAfterSeconds?: unknown }).retryAfterSeconds : undefined;
  return typeof seconds === "number" && seconds > 0 ? seconds : undefined;
}

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
