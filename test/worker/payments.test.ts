import { env, exports } from "cloudflare:workers";
import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { EVENTS_PATH } from "../support/fake-stripe.ts";
import { listingBody } from "../support/listing-factory.ts";
import { call, hasDatabase, jsonOf, signUp } from "./worker-client.ts";

/**
 * Payments in workerd: the Worker's real Stripe adapter (fetch HTTP client, SubtleCrypto
 * signatures) talks to fake-stripe, and webhooks are signed here with the async signer (the
 * synchronous one throws in workerd).
 */

const api = new URL(env.STRIPE_API_URL);
const stripe = new Stripe("sk_test_worker", {
  host: api.hostname,
  port: Number(api.port),
  protocol: "http",
  httpClient: Stripe.createFetchHttpClient(),
  maxNetworkRetries: 0,
});

interface StripeEvent {
  id: string;
  type: string;
  data: { object: { id: string } };
}

async function signed(payload: string, secret = env.STRIPE_WEBHOOK_SECRET): Promise<string> {
  return stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
}

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Posts a webhook as Stripe does: the exact bytes, with their signature. */
function deliver(payload: string, signature: string): Promise<Response> {
  return exports.default.fetch("https://stayedge.test/v1/webhooks/stripe", {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body: payload,
  });
}

describe("the Stripe webhook in workerd", () => {
  const payload = JSON.stringify({ id: "evt_worker_1", object: "event", type: "payment_intent.created" });

  it("refuses a tampered body with 400 INVALID_SIGNATURE", async () => {
    const signature = await signed(payload);
    const problem = await jsonOf<{ code: string }>(
      await deliver(payload.replace("created", "succeeded"), signature),
      400,
    );
    expect(problem.code).toBe("INVALID_SIGNATURE");
  });

  it("refuses a signature made with another secret", async () => {
    const problem = await jsonOf<{ code: string }>(
      await deliver(payload, await signed(payload, "whsec_someone_else")),
      400,
    );
    expect(problem.code).toBe("INVALID_SIGNATURE");
  });
});

describe.skipIf(!hasDatabase)("paying for a booking in workerd (needs DATABASE_URL)", () => {
  let guestToken: string;
  let hostToken: string;

  beforeAll(async () => {
    [hostToken, guestToken] = await Promise.all([signUp("host"), signUp("guest")]);
  });

  it("confirms an instant booking once, however often Stripe delivers its payment", async () => {
    const { id: listingId } = await jsonOf<{ id: string }>(
      await call("POST", "/v1/listings", hostToken, listingBody({ instantBook: true })),
      201,
    );
    const booking = await jsonOf<{
      id: string;
      status: string;
      payment: { amount: number; intent: { id: string; clientSecret: string | null } } | null;
    }>(
      await call("POST", "/v1/bookings", guestToken, {
        listingId,
        checkIn: daysFromNow(60),
        checkOut: daysFromNow(63),
        guests: 2,
      }),
      201,
    );
    expect(booking.status).toBe("pending_payment");
    const intentId = booking.payment?.intent.id ?? "";
    expect(booking.payment?.intent.clientSecret).toMatch(/_secret_/);

    // The guest's card, as Stripe.js would confirm it.
    await stripe.paymentIntents.confirm(intentId, { payment_method: "pm_card_visa" });
    const events = (await (await fetch(`${env.STRIPE_API_URL}${EVENTS_PATH}`)).json()) as StripeEvent[];
    const succeeded = events.find(
      (e) => e.type === "payment_intent.succeeded" && e.data.object.id === intentId,
    );
    expect(succeeded).toBeDefined();
    const body = JSON.stringify(succeeded);

    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await jsonOf<{ applied: boolean }>(await deliver(body, await signed(body)), 200));
    }
    expect(answers.map((a) => a.applied)).toEqual([true, false, false]);
    const after = await jsonOf<{ status: string }>(
      await call("GET", `/v1/bookings/${booking.id}`, guestToken),
      200,
    );
    expect(after.status).toBe("confirmed");
    const payment = await jsonOf<{ charged: number; refunded: number }>(
      await call("GET", `/v1/bookings/${booking.id}/payment`, hostToken),
      200,
    );
    expect(payment).toMatchObject({ charged: booking.payment?.amount, refunded: 0 });
  });
});
