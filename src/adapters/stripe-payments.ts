import Stripe from "stripe";
import type { IntentStatus, RefundStatus } from "../domain/payments/vocabulary.ts";
import {
  type ConnectedAccount,
  type PaymentEvent,
  type PaymentIntent,
  PaymentProviderError,
  type PaymentRefund,
  PaymentSignatureError,
  type Payments,
} from "../ports.ts";

/** Stripe's default, and the issue's: a signed event older than this is refused. */
const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The events the app's webhook endpoint subscribes to (README, Configuration): the simulated
 * provider delivers these, as Stripe delivers only an endpoint's enabled events.
 */
export const SUBSCRIBED_EVENTS: ReadonlySet<string> = new Set([
  "payment_intent.succeeded",
  "payment_intent.amount_capturable_updated",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
  "charge.refunded",
  "refund.created",
  "refund.updated",
  "refund.failed",
  "account.updated",
]);

/** Which object an event is about, by the event's type prefix; the rest are acknowledged and ignored. */
const subjects: ReadonlyArray<[prefix: string, kind: NonNullable<PaymentEvent["about"]>["kind"]]> = [
  ["payment_intent.", "payment_intent"],
  ["charge.", "payment_intent"],
  ["refund.", "refund"],
  ["account.", "account"],
];

/**
 * The payments port over the `stripe` SDK: fetch for HTTP and SubtleCrypto for signatures, so the
 * same code runs on Workers and Node (DESIGN §4). `client` may point at Stripe, at a local fake
 * (tests) or at the in-process emulator (the simulated provider).
 */
export function stripePayments(options: {
  client: Stripe;
  webhookSecret: string;
  simulation?: Payments["simulation"];
}): Payments {
  const { client, webhookSecret } = options;
  const crypto = Stripe.createSubtleCryptoProvider();
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw providerError(error);
    }
  };
  return {
    simulation: options.simulation,
    createIntent: ({ amount, currency, captureMethod, bookingId, idempotencyKey }) =>
      call(async () =>
        toIntent(
          await client.paymentIntents.create(
            {
              amount,
              currency: currency.toLowerCase(),
              capture_method: captureMethod,
              automatic_payment_methods: { enabled: true },
              metadata: { bookingId },
            },
            { idempotencyKey },
          ),
        ),
      ),
    getIntent: (id) => call(async () => toIntent(await client.paymentIntents.retrieve(id))),
    captureIntent: (id: string, idempotencyKey: string, amount?: number) =>
      call(async () =>
        toIntent(
          await client.paymentIntents.capture(id, amount === undefined ? {} : { amount_to_capture: amount }, {
            idempotencyKey,
          }),
        ),
      ),
    cancelIntent: (id, idempotencyKey) =>
      call(async () => toIntent(await client.paymentIntents.cancel(id, {}, { idempotencyKey }))),
    refund: ({ intentId, amount, bookingId, refundId, idempotencyKey }) =>
      call(async () =>
        toRefund(
          await client.refunds.create(
            { payment_intent: intentId, amount, metadata: { bookingId, refundId } },
            { idempotencyKey },
          ),
        ),
      ),
    getRefund: (id) => call(async () => toRefund(await client.refunds.retrieve(id))),
    transfer: ({ amount, currency, accountId, chargeId, bookingId, idempotencyKey }) =>
      call(async () => {
        const transfer = await client.transfers.create(
          {
            amount,
            currency: currency.toLowerCase(),
            destination: accountId,
            source_transaction: chargeId,
            transfer_group: `booking_${bookingId}`,
            metadata: { bookingId },
          },
          { idempotencyKey },
        );
        return { id: transfer.id };
      }),
    createAccount: ({ userId, email, idempotencyKey }) =>
      call(async () =>
        toAccount(
          await client.accounts.create(
            {
              type: "express",
              email,
              capabilities: { transfers: { requested: true } },
              metadata: { userId },
            },
            { idempotencyKey },
          ),
        ),
      ),
    getAccount: (id) => call(async () => toAccount(await client.accounts.retrieve(id))),
    onboardingLink: ({ accountId, refreshUrl, returnUrl }) =>
      call(async () => {
        const link = await client.accountLinks.create({
          account: accountId,
          refresh_url: refreshUrl,
          return_url: returnUrl,
          type: "account_onboarding",
        });
        return { url: link.url, expiresAt: new Date(link.expires_at * 1000) };
      }),
    async verifyEvent(rawBody, signature) {
      if (!signature) throw new PaymentSignatureError("The Stripe-Signature header is missing.");
      let event: Stripe.Event;
      try {
        event = await client.webhooks.constructEventAsync(
          rawBody,
          signature,
          webhookSecret,
          SIGNATURE_TOLERANCE_SECONDS,
          crypto,
        );
      } catch {
        throw new PaymentSignatureError(
          "The Stripe-Signature header does not match the body, or is too old.",
        );
      }
      const kind = subjects.find(([prefix]) => event.type.startsWith(prefix))?.[1];
      const object = event.data.object as { id?: unknown; payment_intent?: unknown };
      // A charge's events (`charge.refunded`, …) are about the payment it belongs to.
      const id = event.type.startsWith("charge.") ? object.payment_intent : object.id;
      const about = kind && typeof id === "string" ? { kind, id } : null;
      return { id: event.id, type: event.type, about };
    },
  };
}

/** Stripe's errors as the port's: refused (trying again changes nothing) or unavailable. */
export function providerError(error: unknown): PaymentProviderError {
  if (
    error instanceof Stripe.errors.StripeCardError ||
    error instanceof Stripe.errors.StripeInvalidRequestError
  ) {
    return new PaymentProviderError("refused", error.message, error.code);
  }
  if (error instanceof Stripe.errors.StripeError) {
    return new PaymentProviderError("unavailable", error.message, error.code ?? error.type);
  }
  return new PaymentProviderError("unavailable", error instanceof Error ? error.name : "unknown");
}

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === "string" ? value : (value?.id ?? null);

function toIntent(intent: Stripe.PaymentIntent): PaymentIntent {
  return {
    id: intent.id,
    status: intent.status as IntentStatus,
    amount: intent.amount,
    currency: intent.currency.toUpperCase(),
    captureMethod: intent.capture_method === "manual" ? "manual" : "automatic",
    amountReceived: intent.amount_received,
    amountCapturable: intent.amount_capturable,
    chargeId: idOf(intent.latest_charge),
    clientSecret: intent.client_secret,
    bookingId: intent.metadata.bookingId ?? null,
    failure: intent.last_payment_error?.message ?? intent.last_payment_error?.code ?? null,
  };
}

function toRefund(refund: Stripe.Refund): PaymentRefund {
  const status: RefundStatus =
    refund.status === "succeeded"
      ? "succeeded"
      : refund.status === "failed" || refund.status === "canceled"
        ? "failed"
        : "pending";
  return {
    id: refund.id,
    status,
    amount: refund.amount,
    currency: refund.currency.toUpperCase(),
    intentId: idOf(refund.payment_intent),
    refundId: refund.metadata?.refundId ?? null,
  };
}

function toAccount(account: Stripe.Account): ConnectedAccount {
  return {
    id: account.id,
    detailsSubmitted: account.details_submitted ?? false,
    payoutsEnabled: account.payouts_enabled ?? false,
  };
}

/** The payments port on Stripe itself, or on the Stripe-compatible server at `apiUrl` (a local fake). */
export function realStripePayments(settings: {
  secretKey: string;
  webhookSecret: string;
  apiUrl: URL | undefined;
}) {
  const { apiUrl } = settings;
  const client = new Stripe(settings.secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    ...(apiUrl && {
      host: apiUrl.hostname,
      port: apiUrl.port || (apiUrl.protocol === "https:" ? 443 : 80),
      protocol: apiUrl.protocol === "https:" ? "https" : "http",
    }),
  });
  return stripePayments({ client, webhookSecret: settings.webhookSecret });
}
