/**
 * The app with its real Stripe adapter, pointed at fake-stripe, and what a test does in Stripe's
 * place: sign and POST webhook deliveries, pay an intent as the guest's Stripe.js would. Also a
 * crowd of signed-in guests for the race suites.
 */
import type Stripe from "stripe";
import type { EmulatedEvent } from "../../src/adapters/stripe-emulator/emulator.ts";
import { hashPassword } from "../../src/domain/identity/password.ts";
import type { Clock } from "../../src/ports.ts";
import * as authRoutes from "../../src/routes/auth/auth.routes.ts";
import * as paymentRoutes from "../../src/routes/payments/payments.routes.ts";
import { expectStatus } from "./api.ts";
import { randomIp } from "./auth-helpers.ts";
import { insertUser } from "./factories.ts";
import { type FakeStripe, startFakeStripe, stripeClient } from "./fake-stripe.ts";
import { expectLedgerInvariants } from "./ledger-invariants.ts";
import { createTestApp, type TestApp } from "./test-app.ts";

/** The secret the app checks webhook signatures with, and the harness signs them with. */
export const WEBHOOK_SECRET = "whsec_test_secret";

export interface StripeTestApp {
  /** fake-stripe: its emulator records every request and event. */
  fake: FakeStripe;
  /** The real SDK aimed at `fake`: the guest's Stripe.js, and Stripe's webhook signer. */
  stripe: Stripe;
  /** The app on its own fresh database, its Stripe adapter talking to `fake`. */
  t: TestApp;
}

/**
 * Starts fake-stripe and an app whose real Stripe adapter talks to it, on `clock`; `env` adds to
 * (or overrides) the Stripe settings. Close both when done: `t.close()` and `fake.close()`.
 */
export async function startStripeTestApp(
  clock: Clock,
  env: Record<string, string> = {},
): Promise<StripeTestApp> {
  const fake = await startFakeStripe();
  try {
    const t = await createTestApp({
      env: {
        STRIPE_SECRET_KEY: "sk_test_fake",
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_URL: fake.url,
        ...env,
      },
      deps: { clock },
    });
    return { fake, stripe: stripeClient(fake), t };
  } catch (error) {
    await fake.close();
    throw error;
  }
}

/**
 * Ends a test of `startStripeTestApp`'s app: lets its jobs finish, checks the ledger against what
 * fake-stripe moved (expectLedgerInvariants), and closes both, even when the check fails.
 */
export async function finishStripeTestApp({ fake, t }: Pick<StripeTestApp, "fake" | "t">): Promise<void> {
  try {
    await t.deps.drainJobs();
    await expectLedgerInvariants(t.db.database.connect().db, fake.emulator);
  } finally {
    await t.close();
    await fake.close();
  }
}

/**
 * The `Stripe-Signature` header Stripe would send with `payload`: signed with `secret`
 * (default the app's) at `timestamp` (seconds; default now).
 */
export function signWebhook(
  stripe: Stripe,
  payload: string,
  options: { secret?: string; timestamp?: number } = {},
): Promise<string> {
  return stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    ...(options.timestamp !== undefined && { timestamp: options.timestamp }),
  });
}

/** POSTs `payload` to /v1/webhooks/stripe with `signature` as its `Stripe-Signature` (null: none). */
export function postWebhook(t: TestApp, payload: string, signature: string | null) {
  return t.call(paymentRoutes.stripeWebhook, {
    rawBody: payload,
    headers: signature === null ? {} : { "stripe-signature": signature },
  });
}

/** Stripe delivering `payload` to the webhook: signed with the app's secret, then POSTed. */
export async function deliverWebhook({ t, stripe }: Pick<StripeTestApp, "t" | "stripe">, payload: string) {
  return postWebhook(t, payload, await signWebhook(stripe, payload));
}

/** Stripe delivering one of its events (from `fake.emulator.events`); the app's receipt, once 200. */
export async function deliverEvent(app: Pick<StripeTestApp, "t" | "stripe">, event: EmulatedEvent) {
  const answer = await deliverWebhook(app, JSON.stringify(event));
  expectStatus(answer, 200, event.type);
  return answer.body;
}

/** The guest pays as Stripe.js would: the intent is confirmed at Stripe, not through the app. */
export function payIntent(stripe: Stripe, intentId: string, paymentMethod = "pm_card_visa") {
  return stripe.paymentIntents.confirm(intentId, { payment_method: paymentMethod });
}

export interface SignedInGuest {
  id: string;
  /** An access token, valid 15 minutes by the app's clock. */
  token: string;
}

/**
 * `count` users who share `password`, each signed in through the API (POST /v1/auth/login, from
 * its own address). Sign-up hashes with 100,000 PBKDF2 rounds: this hashes once and writes every
 * user's row with that hash.
 */
export async function signInGuests(t: TestApp, count: number, password: string): Promise<SignedInGuest[]> {
  const db = t.db.database.connect().db;
  const passwordHash = await hashPassword(password);
  const rows = await Promise.all(Array.from({ length: count }, () => insertUser(db, { passwordHash })));
  return Promise.all(
    rows.map(async (row) => {
      const answer = await t.call(authRoutes.login, {
        body: { email: row.email, password },
        ip: randomIp(),
      });
      expectStatus(answer, 200);
      return { id: row.id, token: answer.body.accessToken };
    }),
  );
}
