/**
 * An in-process emulator of the part of Stripe's API this app uses. The real `stripe` SDK talks to
 * it through `Stripe.createFetchHttpClient((url, init) => emulator.fetch(new Request(url, init)))`:
 * the app's simulated payments (no STRIPE_SECRET_KEY) on Node and in workerd alike, hence web APIs
 * only. Tests reach it over HTTP through test/support/fake-stripe.ts.
 */

import { completeOnboarding } from "./connect.ts";
import { apiError, EmulatorError, type StripeErrorBody } from "./errors.ts";
import { type FormObject, parseForm } from "./form.ts";
import { expireAuthorization } from "./payments.ts";
import { settleRefund } from "./refunds.ts";
import { dispatch } from "./routes.ts";
import {
  type Account,
  buildEvent,
  type Charge,
  type EmulatedEvent,
  emptyState,
  type OperationContext,
  type PaymentIntent,
  type Refund,
  type RefundStatus,
  randomId,
  type Transfer,
} from "./store.ts";

export type { Account, Charge, EmulatedEvent, PaymentIntent, Refund, RefundStatus, Transfer };

export interface StripeEmulatorOptions {
  now?: () => Date;
  /** Called synchronously for each event, once the operation and its idempotent answer are stored. */
  onEvent?: (event: EmulatedEvent) => void;
  /** Keep every request and event in `requests` and `events` (tests); off, they stay empty. */
  record?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  params: Record<string, unknown>;
  status: number;
  replayed: boolean;
}

export interface FailureMatch {
  method: string;
  /** A prefix of the request path, e.g. "/v1/refunds". */
  path: string;
}

export interface FailureMode {
  status?: number;
  /** Apply and store the operation, then answer the error anyway: a response lost on the way back. */
  afterApply?: boolean;
}

export interface StripeEmulator {
  fetch(request: Request): Promise<Response>;
  readonly requests: RecordedRequest[];
  readonly events: EmulatedEvent[];
  completeOnboarding(accountId: string): void;
  /** Stripe cancels an authorisation its capture window (7 days) ran out on: `payment_intent.canceled`. */
  expireAuthorization(intentId: string): void;
  failNext(match: FailureMatch, how?: FailureMode): void;
  refundOutcome(status: RefundStatus): void;
  settleRefund(refundId: string, status: "succeeded" | "failed"): void;
  paymentIntent(id: string): PaymentIntent | undefined;
  charge(id: string): Charge | undefined;
  refund(id: string): Refund | undefined;
  transfer(id: string): Transfer | undefined;
  account(id: string): Account | undefined;
}

interface Answer {
  status: number;
  /** Serialized when produced, so a stored answer is the object as it was then. */
  body: string;
}

// Stripe forgets an idempotency key after 24 hours; so does the emulator, which the app may run for weeks.
const KEY_LIFETIME_SECONDS = 24 * 60 * 60;

const errorAnswer = (error: EmulatorError): Answer => ({
  status: error.status,
  body: JSON.stringify({ error: error.body }),
});

export function createStripeEmulator(options: StripeEmulatorOptions = {}): StripeEmulator {
  const now = options.now ?? (() => new Date());
  const record = options.record ?? true;
  const state = emptyState();
  const requests: RecordedRequest[] = [];
  const events: EmulatedEvent[] = [];
  const answered = new Map<string, { fingerprint: string; answer: Answer; at: number }>();
  const failures: Array<{ match: FailureMatch; status: number; afterApply: boolean }> = [];

  const publish = (pending: EmulatedEvent[]) => {
    for (const event of pending) {
      if (record) events.push(event);
      options.onEvent?.(event);
    }
  };

  const context = (request: EmulatedEvent["request"], pending: EmulatedEvent[]): OperationContext => {
    const created = Math.floor(now().getTime() / 1000);
    return {
      state,
      created,
      emit: (type, object) => pending.push(buildEvent(type, object, created, request)),
    };
  };

  // Test controls act like Stripe itself (no API request), so their events carry a null request.
  const control = <T>(operation: (ctx: OperationContext) => T): T => {
    const pending: EmulatedEvent[] = [];
    const result = operation(context({ id: null, idempotency_key: null }, pending));
    publish(pending);
    return result;
  };

  const takeFailure = (method: string, path: string) => {
    const index = failures.findIndex(({ match }) => match.method === method && path.startsWith(match.path));
    return index === -1 ? undefined : failures.splice(index, 1)[0];
  };

  // Keys are stored in time order, so the expired ones are the first few.
  const forgetExpiredKeys = () => {
    const cutoff = Math.floor(now().getTime() / 1000) - KEY_LIFETIME_SECONDS;
    for (const [key, { at }] of answered) {
      if (at > cutoff) return;
      answered.delete(key);
    }
  };

  const run = (ctx: OperationContext, method: string, path: string, params: FormObject): Answer => {
    try {
      return { status: 200, body: JSON.stringify(dispatch(ctx, method, path, params)) };
    } catch (error) {
      if (error instanceof EmulatorError) return errorAnswer(error);
      throw error;
    }
  };

  async function fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const path = url.pathname;
    const idempotencyKey = request.headers.get("idempotency-key") ?? undefined;
    const params = parseForm(method === "POST" ? await request.text() : url.search);
    const requestId = randomId("req");

    const respond = (answer: Answer, replayed = false): Response => {
      if (record) requests.push({ method, path, idempotencyKey, params, status: answer.status, replayed });
      const headers = new Headers({ "content-type": "application/json", "request-id": requestId });
      if (idempotencyKey !== undefined && method === "POST") headers.set("idempotency-key", idempotencyKey);
      if (replayed) headers.set("idempotent-replayed", "true");
      return new Response(answer.body, { status: answer.status, headers });
    };

    const authError = authenticate(request.headers.get("authorization"));
    if (authError) return respond(errorAnswer(authError));
    const failure = takeFailure(method, path);
    if (failure && !failure.afterApply) return respond(errorAnswer(apiError(failure.status)));

    forgetExpiredKeys();
    // Stripe keys idempotency on POSTs only; GETs are safe to repeat anyway.
    const key = method === "POST" ? idempotencyKey : undefined;
    const fingerprint = JSON.stringify(canonical([method, path, params]));
    const previous = key === undefined ? undefined : answered.get(key);
    if (key !== undefined && previous) {
      if (previous.fingerprint === fingerprint) return respond(previous.answer, true);
      return respond(errorAnswer(idempotencyMismatch(key)));
    }

    const pending: EmulatedEvent[] = [];
    const ctx = context({ id: requestId, idempotency_key: key ?? null }, pending);
    const answer = run(ctx, method, path, params);
    if (key !== undefined) answered.set(key, { fingerprint, answer, at: ctx.created });
    publish(pending);
    return respond(failure ? errorAnswer(apiError(failure.status)) : answer);
  }

  const read = <T>(map: Map<string, T>, id: string): T | undefined => {
    const found = map.get(id);
    return found === undefined ? undefined : structuredClone(found);
  };

  return {
    fetch,
    requests,
    events,
    completeOnboarding: (accountId) => void control((ctx) => completeOnboarding(ctx, accountId)),
    expireAuthorization: (intentId) => void control((ctx) => expireAuthorization(ctx, intentId)),
    failNext: (match, how = {}) =>
      void failures.push({
        match: { ...match, method: match.method.toUpperCase() },
        status: how.status ?? 500,
        afterApply: how.afterApply ?? false,
      }),
    refundOutcome: (status) => {
      state.refundOutcome = status;
    },
    settleRefund: (refundId, status) => void control((ctx) => settleRefund(ctx, refundId, status)),
    paymentIntent: (id) => read(state.paymentIntents, id),
    charge: (id) => read(state.charges, id),
    refund: (id) => read(state.refunds, id),
    transfer: (id) => read(state.transfers, id),
    account: (id) => read(state.accounts, id),
  };
}

function authenticate(header: string | null): EmulatorError | undefined {
  const key = header?.match(/^Bearer (\S+)$/)?.[1];
  if (key?.startsWith("sk_test_")) return undefined;
  const message = key
    ? `Invalid API Key provided: ${key.slice(0, 8)}****`
    : "You did not provide an API key. Provide it in the Authorization header as a Bearer token.";
  return new EmulatorError(401, { type: "invalid_request_error", message });
}

function idempotencyMismatch(key: string): EmulatorError {
  const body: StripeErrorBody = {
    type: "idempotency_error",
    message:
      "Keys for idempotent requests can only be used with the same parameters they were first used with. " +
      `Try using a key other than '${key}' if you meant to execute a different request.`,
  };
  return new EmulatorError(400, body);
}

/** Parameters compare by value, whatever order their keys came in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, child]) => [key, canonical(child)]));
}
