import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createStripeEmulator,
  type EmulatedEvent,
  type StripeEmulator,
} from "../../src/adapters/stripe-emulator/emulator.ts";
import { parseForm } from "../../src/adapters/stripe-emulator/form.ts";
import { type FakeStripe, startFakeStripe, stripeClient } from "../support/fake-stripe.ts";

const NOW = new Date("2030-03-01T12:00:00Z");
const NOW_SECONDS = NOW.getTime() / 1000;

/** The real SDK talking to the emulator in process, as the app's simulated payments do. */
function inProcessClient(emulator: StripeEmulator, secretKey = "sk_test_in_process"): Stripe {
  return new Stripe(secretKey, {
    httpClient: Stripe.createFetchHttpClient((url, init) => emulator.fetch(new Request(url, init))),
    maxNetworkRetries: 0,
  });
}

let emulator: StripeEmulator;
let stripe: Stripe;
const types = () => emulator.events.map((event) => event.type);

beforeEach(() => {
  emulator = createStripeEmulator({ now: () => NOW });
  stripe = inProcessClient(emulator);
});

const newIntent = (params: Partial<Stripe.PaymentIntentCreateParams> = {}, key?: string) =>
  stripe.paymentIntents.create(
    { amount: 12_000, currency: "EUR", metadata: { bookingId: "b1" }, ...params },
    key ? { idempotencyKey: key } : {},
  );

async function paidIntent(amount = 10_000) {
  const intent = await newIntent({ amount });
  return stripe.paymentIntents.confirm(intent.id, { payment_method: "pm_card_visa" });
}

async function onboardedAccount() {
  const account = await stripe.accounts.create({ type: "express", email: "host@example.com" });
  emulator.completeOnboarding(account.id);
  return account;
}

describe("parseForm", () => {
  it("nests bracket keys, keeps values as strings and turns indices into arrays", () => {
    expect(
      parseForm(
        "amount=100&metadata[bookingId]=b1&capabilities[transfers][requested]=true&expand[1]=b&expand[0]=a",
      ),
    ).toEqual({
      amount: "100",
      metadata: { bookingId: "b1" },
      capabilities: { transfers: { requested: "true" } },
      expand: ["a", "b"],
    });
  });

  it("ignores keys that would reach an object's prototype", () => {
    const parsed = parseForm("__proto__[polluted]=1&metadata[constructor]=x&ok=1");
    expect(parsed).toEqual({ ok: "1" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("authentication", () => {
  it("answers 401 without a Bearer test key", async () => {
    const answer = await emulator.fetch(new Request("https://api.stripe.com/v1/payment_intents/pi_1"));
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  it("makes the SDK throw StripeAuthenticationError for a live key", async () => {
    const live = inProcessClient(emulator, "sk_live_nope");
    await expect(live.paymentIntents.retrieve("pi_1")).rejects.toMatchObject({
      type: "StripeAuthenticationError",
      statusCode: 401,
    });
  });
});

describe("POST /v1/payment_intents", () => {
  it("creates an intent in Stripe's shape and emits payment_intent.created", async () => {
    const intent = await newIntent({ capture_method: "automatic_async", description: "Loft, 3 nights" });
    expect(intent).toMatchObject({
      object: "payment_intent",
      amount: 12_000,
      amount_capturable: 0,
      amount_received: 0,
      currency: "eur",
      capture_method: "automatic",
      status: "requires_payment_method",
      latest_charge: null,
      last_payment_error: null,
      metadata: { bookingId: "b1" },
      created: NOW_SECONDS,
      livemode: false,
      canceled_at: null,
    });
    expect(intent.id).toMatch(/^pi_[0-9A-Za-z]{24}$/);
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_[0-9A-Za-z]+$`));
    expect(types()).toEqual(["payment_intent.created"]);
    expect(emulator.paymentIntent(intent.id)?.status).toBe("requires_payment_method");
  });

  it.each([
    [{ amount: undefined }, "amount", "parameter_missing"],
    [{ amount: 0 }, "amount", "amount_too_small"],
    [{ amount: 1.5 }, "amount", "parameter_invalid_integer"],
    [{ currency: undefined }, "currency", "parameter_missing"],
  ] as const)("rejects %o naming param %s (%s)", async (params, param, code) => {
    await expect(newIntent(params as Partial<Stripe.PaymentIntentCreateParams>)).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 400,
      param,
      code,
    });
    expect(emulator.events).toEqual([]);
  });

  it("rejects a currency that is not three letters", async () => {
    await expect(newIntent({ currency: "euro" })).rejects.toMatchObject({
      statusCode: 400,
      param: "currency",
    });
  });
});

describe("GET /v1/payment_intents/:id", () => {
  it("reads an intent back and answers 404 resource_missing for an unknown id", async () => {
    const intent = await newIntent();
    expect(await stripe.paymentIntents.retrieve(intent.id)).toMatchObject({ id: intent.id, amount: 12_000 });
    await expect(stripe.paymentIntents.retrieve("pi_missing")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 404,
      code: "resource_missing",
    });
  });
});

describe("POST /v1/payment_intents/:id/confirm", () => {
  it("captures at once by default, creating a charge, then emits charge.succeeded and payment_intent.succeeded", async () => {
    const intent = await newIntent();
    const paid = await stripe.paymentIntents.confirm(
      intent.id,
      { payment_method: "pm_card_visa" },
      {
        idempotencyKey: "confirm-1",
      },
    );
    expect(paid).toMatchObject({ status: "succeeded", amount_received: 12_000, amount_capturable: 0 });
    expect(paid.latest_charge).toMatch(/^ch_/);
    expect(emulator.charge(paid.latest_charge as string)).toMatchObject({
      amount: 12_000,
      amount_captured: 12_000,
      amount_refunded: 0,
      refunded: false,
      payment_intent: intent.id,
    });
    expect(types()).toEqual(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"]);
    expect(emulator.events[2]?.request).toMatchObject({
      id: expect.stringMatching(/^req_/),
      idempotency_key: "confirm-1",
    });
  });

  it("only authorizes with capture_method manual", async () => {
    const intent = await newIntent({ capture_method: "manual" });
    const held = await stripe.paymentIntents.confirm(intent.id, { payment_method: "pm_card_mastercard" });
    expect(held).toMatchObject({ status: "requires_capture", amount_capturable: 12_000, amount_received: 0 });
    expect(emulator.charge(held.latest_charge as string)).toMatchObject({
      amount_captured: 0,
      captured: false,
    });
    expect(types()).toEqual(["payment_intent.created", "payment_intent.amount_capturable_updated"]);
  });

  it("answers 402 card_declined for pm_card_chargeDeclined and leaves the intent payable", async () => {
    const intent = await newIntent();
    const declined = stripe.paymentIntents.confirm(intent.id, { payment_method: "pm_card_chargeDeclined" });
    await expect(declined).rejects.toBeInstanceOf(Stripe.errors.StripeCardError);
    await expect(declined).rejects.toMatchObject({ statusCode: 402, code: "card_declined" });
    expect(emulator.paymentIntent(intent.id)).toMatchObject({
      status: "requires_payment_method",
      last_payment_error: { code: "card_declined", type: "card_error" },
    });
    expect(types()).toEqual(["payment_intent.created", "payment_intent.payment_failed"]);

    const paid = await stripe.paymentIntents.confirm(intent.id, { payment_method: "pm_card_visa" });
    expect(paid).toMatchObject({ status: "succeeded", last_payment_error: null });
  });

  it("refuses to confirm an intent that already succeeded", async () => {
    const paid = await paidIntent();
    await expect(
      stripe.paymentIntents.confirm(paid.id, { payment_method: "pm_card_visa" }),
    ).rejects.toMatchObject({ statusCode: 400, code: "payment_intent_unexpected_state" });
  });
});

describe("POST /v1/payment_intents/:id/capture and /cancel", () => {
  it("captures part of an authorization and then refuses a second capture", async () => {
    const intent = await newIntent({ capture_method: "manual" });
    await stripe.paymentIntents.confirm(intent.id, { payment_method: "pm_card_visa" });
    await expect(
      stripe.paymentIntents.capture(intent.id, { amount_to_capture: 12_001 }),
    ).rejects.toMatchObject({
      statusCode: 400,
      param: "amount_to_capture",
    });
    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 9_000 });
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 9_000, amount_capturable: 0 });
    expect(types().at(-1)).toBe("payment_intent.succeeded");
    await expect(stripe.paymentIntents.capture(intent.id)).rejects.toMatchObject({
      code: "payment_intent_unexpected_state",
    });
  });

  it("refuses to capture an intent that was never confirmed", async () => {
    const intent = await newIntent({ capture_method: "manual" });
    await expect(stripe.paymentIntents.capture(intent.id)).rejects.toMatchObject({
      code: "payment_intent_unexpected_state",
    });
  });

  it("cancels an unpaid or authorized intent, but not a succeeded or canceled one", async () => {
    const unpaid = await newIntent();
    const held = await newIntent({ capture_method: "manual" });
    await stripe.paymentIntents.confirm(held.id, { payment_method: "pm_card_visa" });
    for (const id of [unpaid.id, held.id]) {
      const canceled = await stripe.paymentIntents.cancel(id, { cancellation_reason: "abandoned" });
      expect(canceled).toMatchObject({ status: "canceled", canceled_at: NOW_SECONDS, amount_capturable: 0 });
    }
    expect(types().filter((type) => type === "payment_intent.canceled")).toHaveLength(2);
    const paid = await paidIntent();
    for (const id of [unpaid.id, paid.id]) {
      await expect(stripe.paymentIntents.cancel(id)).rejects.toMatchObject({
        statusCode: 400,
        code: "payment_intent_unexpected_state",
      });
    }
  });
});

describe("POST /v1/refunds", () => {
  it("refunds what is left by default and emits refund.created then charge.refunded", async () => {
    const paid = await paidIntent(10_000);
    const partial = await stripe.refunds.create({
      payment_intent: paid.id,
      amount: 4_000,
      reason: "requested_by_customer",
    });
    expect(partial).toMatchObject({
      object: "refund",
      amount: 4_000,
      currency: "eur",
      charge: paid.latest_charge,
      payment_intent: paid.id,
      status: "succeeded",
      reason: "requested_by_customer",
    });
    expect(partial.id).toMatch(/^re_/);
    const rest = await stripe.refunds.create({ charge: paid.latest_charge as string });
    expect(rest.amount).toBe(6_000);
    const refundedEvents = emulator.events.filter((event) => event.type === "charge.refunded");
    expect(refundedEvents.map((event) => event.data.object)).toMatchObject([
      { amount_refunded: 4_000, refunded: false },
      { amount_refunded: 10_000, refunded: true },
    ]);
    expect(await stripe.refunds.retrieve(rest.id)).toMatchObject({ id: rest.id, amount: 6_000 });
  });

  it("answers amount_too_large past what was captured, charge_not_captured before capture", async () => {
    const paid = await paidIntent(10_000);
    await expect(stripe.refunds.create({ payment_intent: paid.id, amount: 10_001 })).rejects.toMatchObject({
      statusCode: 400,
      code: "amount_too_large",
      param: "amount",
    });
    const held = await newIntent({ capture_method: "manual" });
    await stripe.paymentIntents.confirm(held.id, { payment_method: "pm_card_visa" });
    await expect(stripe.refunds.create({ payment_intent: held.id })).rejects.toMatchObject({
      code: "charge_not_captured",
    });
    await expect(stripe.refunds.create({ payment_intent: "pi_missing" })).rejects.toMatchObject({
      statusCode: 400,
      code: "resource_missing",
      param: "payment_intent",
    });
    await expect(stripe.refunds.retrieve("re_missing")).rejects.toMatchObject({ statusCode: 404 });
  });

  it("holds a pending refund's amount until it settles, and releases a failed one", async () => {
    const paid = await paidIntent(10_000);
    emulator.refundOutcome("pending");
    const pending = await stripe.refunds.create({ payment_intent: paid.id, amount: 7_000 });
    expect(pending.status).toBe("pending");
    expect(types().at(-1)).toBe("refund.created");
    await expect(stripe.refunds.create({ payment_intent: paid.id, amount: 3_001 })).rejects.toMatchObject({
      code: "amount_too_large",
    });

    emulator.settleRefund(pending.id, "failed");
    expect(emulator.refund(pending.id)).toMatchObject({
      status: "failed",
      failure_reason: "expired_or_canceled_card",
    });
    expect(types().slice(-2)).toEqual(["refund.updated", "refund.failed"]);

    const second = await stripe.refunds.create({ payment_intent: paid.id, amount: 10_000 });
    emulator.settleRefund(second.id, "succeeded");
    expect(types().slice(-2)).toEqual(["refund.updated", "charge.refunded"]);
    expect(emulator.events.at(-2)?.request).toEqual({ id: null, idempotency_key: null });
    expect(emulator.charge(paid.latest_charge as string)).toMatchObject({
      amount_refunded: 10_000,
      refunded: true,
    });
  });

  it("creates failed refunds when told to, which refund nothing", async () => {
    const paid = await paidIntent(10_000);
    emulator.refundOutcome("failed");
    const failed = await stripe.refunds.create({ payment_intent: paid.id });
    expect(failed).toMatchObject({ status: "failed", failure_reason: "expired_or_canceled_card" });
    expect(types().slice(-3)).toEqual(["refund.created", "refund.updated", "refund.failed"]);
    expect(emulator.charge(paid.latest_charge as string)?.amount_refunded).toBe(0);
  });
});

describe("Connect: accounts, account links, transfers", () => {
  it("creates an express account, onboards it and emits account.updated", async () => {
    const account = await stripe.accounts.create({
      type: "express",
      email: "host@example.com",
      country: "fr",
      capabilities: { transfers: { requested: true } },
      metadata: { hostId: "h1" },
    });
    expect(account).toMatchObject({
      object: "account",
      type: "express",
      country: "FR",
      details_submitted: false,
      payouts_enabled: false,
      metadata: { hostId: "h1" },
    });
    expect(account.id).toMatch(/^acct_/);
    emulator.completeOnboarding(account.id);
    expect(await stripe.accounts.retrieve(account.id)).toMatchObject({
      details_submitted: true,
      charges_enabled: true,
      payouts_enabled: true,
      capabilities: { transfers: "active" },
    });
    expect(types()).toEqual(["account.updated"]);
    await expect(stripe.accounts.create({ email: "x@example.com" })).rejects.toMatchObject({
      code: "parameter_missing",
      param: "type",
    });
  });

  it("creates onboarding links for existing accounts only", async () => {
    const account = await stripe.accounts.create({ type: "express" });
    const urls = { refresh_url: "https://app.test/refresh", return_url: "https://app.test/done" };
    const link = await stripe.accountLinks.create({
      account: account.id,
      type: "account_onboarding",
      ...urls,
    });
    expect(link).toMatchObject({
      object: "account_link",
      created: NOW_SECONDS,
      expires_at: NOW_SECONDS + 300,
    });
    expect(link.url).toMatch(new RegExp(`^https://connect\\.stripe\\.com/setup/e/${account.id}/`));
    await expect(
      stripe.accountLinks.create({ account: "acct_missing", type: "account_onboarding", ...urls }),
    ).rejects.toMatchObject({ statusCode: 400, param: "account", code: "resource_missing" });
    await expect(
      stripe.accountLinks.create({
        account: account.id,
        type: "account_onboarding",
        ...urls,
        return_url: "nope",
      }),
    ).rejects.toMatchObject({ param: "return_url", code: "url_invalid" });
  });

  it("transfers to onboarded accounts, within what the source charge still holds", async () => {
    const paid = await paidIntent(10_000);
    const charge = paid.latest_charge as string;
    await stripe.refunds.create({ payment_intent: paid.id, amount: 2_000 });
    const pendingHost = await stripe.accounts.create({ type: "express" });
    const host = await onboardedAccount();
    const base = { currency: "eur", source_transaction: charge, transfer_group: "booking_b1" };

    await expect(
      stripe.transfers.create({ ...base, amount: 1, destination: pendingHost.id }),
    ).rejects.toMatchObject({
      code: "account_invalid",
      param: "destination",
    });
    await expect(
      stripe.transfers.create({ ...base, amount: 1, destination: "acct_missing" }),
    ).rejects.toMatchObject({
      code: "resource_missing",
      param: "destination",
    });
    const transfer = await stripe.transfers.create({ ...base, amount: 5_000, destination: host.id });
    expect(transfer).toMatchObject({
      object: "transfer",
      amount: 5_000,
      currency: "eur",
      destination: host.id,
      source_transaction: charge,
      transfer_group: "booking_b1",
      reversed: false,
    });
    expect(transfer.id).toMatch(/^tr_/);
    expect(types().at(-1)).toBe("transfer.created");
    await expect(
      stripe.transfers.create({ ...base, amount: 3_001, destination: host.id }),
    ).rejects.toMatchObject({
      code: "balance_insufficient",
    });
    expect(await stripe.transfers.retrieve(transfer.id)).toMatchObject({ id: transfer.id });
    expect(emulator.transfer(transfer.id)?.amount).toBe(5_000);
  });
});

describe("Idempotency-Key", () => {
  it("replays the stored answer without applying anything twice", async () => {
    const first = await newIntent({}, "booking-b1-intent");
    const again = await newIntent({}, "booking-b1-intent");
    expect(again.id).toBe(first.id);
    expect(types()).toEqual(["payment_intent.created"]);
    expect(emulator.requests.map((request) => request.replayed)).toEqual([false, true]);
    expect(emulator.requests[1]).toMatchObject({
      method: "POST",
      path: "/v1/payment_intents",
      idempotencyKey: "booking-b1-intent",
      params: { amount: "12000", currency: "EUR", metadata: { bookingId: "b1" } },
      status: 200,
    });
  });

  it("marks a replayed answer with the Idempotent-Replayed header", async () => {
    const post = () =>
      emulator.fetch(
        new Request("https://api.stripe.com/v1/payment_intents", {
          method: "POST",
          headers: { authorization: "Bearer sk_test_raw", "idempotency-key": "raw-1" },
          body: new URLSearchParams({ amount: "500", currency: "usd" }),
        }),
      );
    const first = await post();
    const again = await post();
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
  });

  it("answers idempotency_error when the same key comes with other parameters", async () => {
    await newIntent({}, "booking-b1-intent");
    await expect(newIntent({ amount: 13_000 }, "booking-b1-intent")).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
  });

  it("forgets a key after 24 hours, as Stripe does", async () => {
    let clock = NOW.getTime();
    emulator = createStripeEmulator({ now: () => new Date(clock) });
    stripe = inProcessClient(emulator);
    const first = await newIntent({}, "old-key");
    clock += 24 * 60 * 60 * 1000 + 1000;
    const second = await newIntent({ amount: 500 }, "old-key");
    expect(second.id).not.toBe(first.id);
    expect(second.created).toBe(first.created + 24 * 60 * 60 + 1);
  });

  it("stores error answers too: a replayed decline is the same 402, with no new event", async () => {
    const intent = await newIntent();
    const decline = () =>
      stripe.paymentIntents.confirm(
        intent.id,
        { payment_method: "pm_card_chargeDeclined" },
        { idempotencyKey: "c1" },
      );
    await expect(decline()).rejects.toMatchObject({ statusCode: 402 });
    await expect(decline()).rejects.toMatchObject({ statusCode: 402, code: "card_declined" });
    expect(types().filter((type) => type === "payment_intent.payment_failed")).toHaveLength(1);
    expect(emulator.requests.at(-1)).toMatchObject({ status: 402, replayed: true });
  });
});

describe("failNext", () => {
  it("fails the next matching request without applying it; the retry goes through", async () => {
    emulator.failNext({ method: "POST", path: "/v1/payment_intents" }, { status: 503 });
    await expect(newIntent({}, "k1")).rejects.toMatchObject({ type: "StripeAPIError", statusCode: 503 });
    expect(emulator.events).toEqual([]);
    await newIntent({}, "k1");
    expect(emulator.requests.map(({ status, replayed }) => [status, replayed])).toEqual([
      [503, false],
      [200, false],
    ]);
    expect(types()).toEqual(["payment_intent.created"]);
  });

  it("with afterApply, loses the answer of an applied operation; the retry replays it", async () => {
    const paid = await paidIntent();
    emulator.failNext({ method: "POST", path: "/v1/refunds" }, { afterApply: true });
    const refund = () => stripe.refunds.create({ payment_intent: paid.id }, { idempotencyKey: "refund-b1" });
    await expect(refund()).rejects.toMatchObject({ type: "StripeAPIError", statusCode: 500 });
    expect(types().slice(-2)).toEqual(["refund.created", "charge.refunded"]);
    const replayed = await refund();
    expect(emulator.requests.at(-1)).toMatchObject({ status: 200, replayed: true });
    expect(emulator.refund(replayed.id)).toMatchObject({ amount: 10_000, status: "succeeded" });
    expect(types().filter((type) => type === "refund.created")).toHaveLength(1);
  });

  it("matches by method and path prefix, once", async () => {
    emulator.failNext({ method: "POST", path: "/v1/refunds" });
    const intent = await newIntent();
    await expect(stripe.paymentIntents.retrieve(intent.id)).resolves.toMatchObject({ id: intent.id });
  });
});

describe("events", () => {
  it("carry the SDK's API version and a copy of the object at that moment, delivered in order", async () => {
    const delivered: EmulatedEvent[] = [];
    const statusSeen: string[] = [];
    emulator = createStripeEmulator({
      now: () => NOW,
      onEvent: (event) => {
        delivered.push(event);
        const id = event.data.object.id as string;
        statusSeen.push(emulator.paymentIntent(id)?.status ?? "unknown");
      },
    });
    stripe = inProcessClient(emulator);
    const paid = await paidIntent();
    expect(delivered).toEqual(emulator.events);
    const [created] = emulator.events;
    expect(created).toMatchObject({
      object: "event",
      api_version: Stripe.API_VERSION,
      created: NOW_SECONDS,
      livemode: false,
      pending_webhooks: 1,
      type: "payment_intent.created",
      request: { id: expect.stringMatching(/^req_/) },
      data: { object: { id: paid.id, status: "requires_payment_method" } },
    });
    expect(created?.id).toMatch(/^evt_/);
    // Each event is published once its whole operation is stored.
    expect(statusSeen).toEqual(["requires_payment_method", "unknown", "succeeded"]);
  });
});

describe("unknown routes", () => {
  it("answer 404 invalid_request_error", async () => {
    await expect(stripe.customers.create({ email: "a@example.com" })).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 404,
    });
  });
});

describe("over HTTP (test/support/fake-stripe.ts)", () => {
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe({ now: () => NOW });
  });
  afterAll(() => fake.close());

  it("serves the real SDK through host, port and protocol", async () => {
    const client = stripeClient(fake);
    const intent = await client.paymentIntents.create(
      { amount: 5_000, currency: "usd", metadata: { bookingId: "b2" } },
      { idempotencyKey: "http-1" },
    );
    const paid = await client.paymentIntents.confirm(intent.id, { payment_method: "pm_card_visa" });
    expect(paid.status).toBe("succeeded");
    await expect(client.paymentIntents.retrieve("pi_missing")).rejects.toMatchObject({ statusCode: 404 });
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
    expect(fake.emulator.requests.map(({ method, path, status }) => `${method} ${path} ${status}`)).toEqual([
      "POST /v1/payment_intents 200",
      `POST /v1/payment_intents/${intent.id}/confirm 200`,
      "GET /v1/payment_intents/pi_missing 404",
    ]);
    expect(fake.emulator.requests[0]?.idempotencyKey).toBe("http-1");
  });
});
