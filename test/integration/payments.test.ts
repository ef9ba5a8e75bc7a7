import { count, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EmulatedEvent } from "../../src/adapters/stripe-emulator/emulator.ts";
import {
  bookingEvents,
  bookings,
  ledgerEntries,
  payments,
  payouts,
  refunds,
} from "../../src/db/schema/index.ts";
import { scheduledTick } from "../../src/jobs.ts";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import * as routes from "../../src/routes/payments/payments.routes.ts";
import { expectStatus } from "../support/api.ts";
import { renewTokens, type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import type { FakeStripe } from "../support/fake-stripe.ts";
import { createListing } from "../support/listing-factory.ts";
import {
  deliverEvent,
  finishStripeTestApp,
  payIntent,
  postWebhook,
  signWebhook,
  startStripeTestApp,
} from "../support/payment-harness.ts";
import { manualClock, type TestApp } from "../support/test-app.ts";

/**
 * The app with the real Stripe adapter, pointed at a fake Stripe server; the test plays Stripe's
 * webhook deliveries (signed as Stripe signs them) and the guest's card (Stripe.js confirming the
 * intent). Each test has its own app, database, clock and Stripe, so time moves freely.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ADMIN_EMAIL = "payments-admin@example.com";

let clock: ReturnType<typeof manualClock>;
let fake: FakeStripe;
let stripe: Stripe;
let t: TestApp;
let host: SignedUpUser;
let guest: SignedUpUser;
let other: SignedUpUser;
let admin: SignedUpUser;
/** How many of the fake's events have been delivered to the app. */
let delivered: number;

beforeEach(async () => {
  // 14:00 in Paris, where the example listing is.
  clock = manualClock(new Date("2026-06-01T12:00:00Z"));
  ({ fake, stripe, t } = await startStripeTestApp(clock, { ADMIN_EMAIL }));
  [host, guest, other, admin] = await Promise.all([
    signUp(t),
    signUp(t),
    signUp(t),
    signUp(t, { email: ADMIN_EMAIL }),
  ]);
  delivered = 0;
});

afterEach(() => finishStripeTestApp({ fake, t }));

const db = () => t.db.database.connect().db;

/** The periodic tick, and the jobs it hands on (each booking change's `settlePayment`). */
async function tick() {
  await scheduledTick(t.deps);
  await t.deps.drainJobs();
}

async function newListing(overrides: Parameters<typeof createListing>[2] = {}) {
  return (await createListing(t, host.accessToken, overrides)).id;
}

async function book(user: SignedUpUser, listingId: string, checkIn = "2026-07-01", checkOut = "2026-07-04") {
  const answer = await t.call(bookingRoutes.createBooking, {
    token: user.accessToken,
    body: { listingId, checkIn, checkOut, guests: 2 },
  });
  expectStatus(answer, 201);
  return answer.body;
}

/** accept, decline or cancel, as `user`. */
const act = (route: typeof bookingRoutes.cancelBooking, user: SignedUpUser, id: string) =>
  t.call(route, { token: user.accessToken, params: { id } });

async function bookingRow(id: string) {
  const [row] = await db().select().from(bookings).where(eq(bookings.id, id));
  if (!row) throw new Error(`no booking ${id}`);
  return row;
}

async function paymentOf(user: SignedUpUser, bookingId: string) {
  const answer = await t.call(routes.getPayment, { token: user.accessToken, params: { id: bookingId } });
  expectStatus(answer, 200);
  return answer.body;
}

/** The guest's card, through Stripe.js: the intent is confirmed at Stripe, not through the app. */
async function pay(intentId: string, paymentMethod = "pm_card_visa") {
  try {
    return await payIntent(stripe, intentId, paymentMethod);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError) return undefined;
    throw error;
  }
}

/** POSTs a body to the webhook as Stripe would, signed unless `signature` says otherwise. */
async function post(
  payload: string,
  signature: { secret?: string; timestamp?: number; header?: string | null; signed?: string } = {},
) {
  const header =
    signature.header !== undefined
      ? signature.header
      : await signWebhook(stripe, signature.signed ?? payload, signature);
  return postWebhook(t, payload, header);
}

/** Stripe delivers one of its events; the app answers 200 with its receipt. */
const deliver = (event: EmulatedEvent) => deliverEvent({ t, stripe }, event);

/** Stripe delivers, in order, every event it sent since its last delivery. */
async function deliverPending() {
  const pending = fake.emulator.events.slice(delivered);
  delivered = fake.emulator.events.length;
  const receipts = [];
  for (const event of pending) receipts.push(await deliver(event));
  return receipts;
}

const eventsAbout = (objectId: string) =>
  fake.emulator.events.filter((event) => event.data.object.id === objectId);

/** Requests the fake Stripe acted on (not replays of an idempotency key). */
const acted = (method: string, path: string | RegExp) =>
  fake.emulator.requests.filter(
    (r) =>
      r.method === method && !r.replayed && (typeof path === "string" ? r.path === path : path.test(r.path)),
  );

const keyed = (key: string) => fake.emulator.requests.filter((r) => r.idempotencyKey === key);

const intentsCreatedFor = (bookingId: string) =>
  acted("POST", "/v1/payment_intents").filter(
    (r) => r.status === 200 && (r.params.metadata as Record<string, string>)?.bookingId === bookingId,
  );

/** How much of the database a webhook could have changed. */
async function footprint() {
  const [events] = await db().select({ n: count() }).from(bookingEvents);
  const [ledger] = await db().select({ n: count() }).from(ledgerEntries);
  const [refundRows] = await db().select({ n: count() }).from(refunds);
  const [payoutRows] = await db().select({ n: count() }).from(payouts);
  const paymentRows = await db()
    .select({ intent: payments.intentId, status: payments.status })
    .from(payments);
  const statuses = await db().select({ id: bookings.id, status: bookings.status }).from(bookings);
  return {
    events: events?.n,
    ledger: ledger?.n,
    refunds: refundRows?.n,
    payouts: payoutRows?.n,
    payments: paymentRows,
    statuses,
  };
}

/** An instant-book stay, paid and confirmed through Stripe's webhook. */
async function paidStay(
  overrides: Parameters<typeof createListing>[2] = {},
  checkIn?: string,
  checkOut?: string,
) {
  const listingId = await newListing({ instantBook: true, ...overrides });
  const booking = await book(guest, listingId, checkIn, checkOut);
  if (!booking.payment) throw new Error("the payment did not start");
  await pay(booking.payment.intent.id);
  await deliverPending();
  expect((await bookingRow(booking.id)).status).toBe("confirmed");
  return { listingId, booking, intentId: booking.payment.intent.id };
}

describe("paying for an instant-book stay", () => {
  it("answers one PaymentIntent for the quoted total, created once with a key from the booking", async () => {
    const listingId = await newListing({ instantBook: true });
    const booking = await book(guest, listingId);
    const { payment, quote } = booking;
    expect(payment, JSON.stringify(booking)).toMatchObject({
      bookingId: booking.id,
      amount: quote.total,
      currency: "EUR",
      holdExpiresAt: booking.holdExpiresAt,
      simulated: false,
      intent: { status: "requires_payment_method", captureMethod: "automatic" },
    });
    const intentId = payment?.intent.id ?? "";
    expect(payment?.intent.clientSecret).toMatch(new RegExp(`^${intentId}_secret_`));

    const created = intentsCreatedFor(booking.id);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      idempotencyKey: `intent-${booking.id}`,
      params: {
        amount: String(quote.total),
        currency: "eur",
        capture_method: "automatic",
        metadata: { bookingId: booking.id },
      },
    });

    const again = await t.call(routes.startPayment, { token: guest.accessToken, params: { id: booking.id } });
    expectStatus(again, 200);
    expect(again.body.intent.id).toBe(intentId);
    expect(again.body.intent.clientSecret).toBe(payment?.intent.clientSecret);
    // A crash between Stripe's answer and the app's record of it: the retry's key gets the same intent.
    await db().delete(payments).where(eq(payments.bookingId, booking.id));
    const retried = await t.call(routes.startPayment, {
      token: guest.accessToken,
      params: { id: booking.id },
    });
    expectStatus(retried, 200);
    expect(retried.body.intent.id).toBe(intentId);
    expect(keyed(`intent-${booking.id}`).map((r) => r.replayed)).toEqual([false, true]);
    expect(intentsCreatedFor(booking.id)).toHaveLength(1);
  });

  it("replays the booking's answer to its Idempotency-Key with the same payment to make", async () => {
    const listingId = await newListing({ instantBook: true });
    const send = () =>
      t.call(bookingRoutes.createBooking, {
        token: guest.accessToken,
        headers: { "idempotency-key": "pay-once" },
        body: { listingId, checkIn: "2026-07-01", checkOut: "2026-07-04", guests: 2 },
      });
    const first = await send();
    expectStatus(first, 201);
    const replay = await send();
    expectStatus(replay, 201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.payment, replay.text).toEqual(first.body.payment);
    expect(first.body.payment?.intent.clientSecret).toBeTruthy();
    expect(intentsCreatedFor(first.body.id)).toHaveLength(1);
  });

  it("is only the guest's to start, and only while the booking holds its dates", async () => {
    const listingId = await newListing({ instantBook: true });
    const booking = await book(guest, listingId);
    const start = (user: SignedUpUser) =>
      t.call(routes.startPayment, { token: user.accessToken, params: { id: booking.id } });
    expectStatus(await start(host), 403);
    expectStatus(await start(other), 404);
    expectStatus(await act(bookingRoutes.cancelBooking, guest, booking.id), 200);
    const late = await start(guest);
    expectStatus(late, 409);
    expect(late.body.code).toBe("INVALID_STATE");
  });

  it("confirms the booking once Stripe reports the payment, and shows the charge, fees and payout", async () => {
    const { booking, intentId } = await paidStay();
    const { quote } = booking;
    const asHost = await paymentOf(host, booking.id);
    expect(asHost, JSON.stringify(asHost)).toMatchObject({
      amount: quote.total,
      charged: quote.total,
      refunded: 0,
      fees: quote.total - quote.hostPayout,
      intent: { id: intentId, status: "succeeded", clientSecret: null },
      payout: {
        status: "scheduled",
        amount: quote.hostPayout,
        currency: "EUR",
        // 24 hours after check-in: 15:00 in Paris on 2026-07-01 is 13:00 UTC.
        releaseAt: "2026-07-02T13:00:00.000Z",
        paidAt: null,
      },
    });
    const asGuest = await paymentOf(guest, booking.id);
    expect(asGuest, JSON.stringify(asGuest)).toMatchObject({
      charged: quote.total,
      fees: null,
      payout: null,
      flag: null,
      intent: { status: "succeeded", clientSecret: null },
    });
  });
});

describe("payments.get", () => {
  it("shows the guest the client secret while unpaid; host and admin the fees; strangers nothing", async () => {
    const listingId = await newListing({ instantBook: true });
    const booking = await book(guest, listingId);
    const unpaid = await paymentOf(guest, booking.id);
    expect(unpaid, JSON.stringify(unpaid)).toMatchObject({
      charged: 0,
      fees: null,
      payout: null,
      flag: null,
      intent: { clientSecret: booking.payment?.intent.clientSecret },
    });
    const hostView = await paymentOf(host, booking.id);
    expect(hostView.intent?.clientSecret, JSON.stringify(hostView)).toBeNull();
    expect(hostView.fees).toBe(0);
    const adminView = await paymentOf(admin, booking.id);
    expect(adminView, JSON.stringify(adminView)).toMatchObject({ fees: 0, flag: null });
    expect(adminView.intent?.clientSecret).toBeNull();
    const strangers = await t.call(routes.getPayment, {
      token: other.accessToken,
      params: { id: booking.id },
    });
    expectStatus(strangers, 404);
    expectStatus(await t.call(routes.getPayment, { params: { id: booking.id } }), 401);
  });
});

describe("webhooks.stripe", () => {
  it("applies an event once: the same event three times changes nothing after the first", async () => {
    const listingId = await newListing({ instantBook: true });
    const booking = await book(guest, listingId);
    await pay(booking.payment?.intent.id ?? "");
    const succeeded = fake.emulator.events.find((e) => e.type === "payment_intent.succeeded");
    if (!succeeded) throw new Error("Stripe sent no payment_intent.succeeded");
    expect(await deliver(succeeded)).toEqual({ received: true, eventId: succeeded.id, applied: true });
    const after = await footprint();
    expect(after.statuses).toContainEqual({ id: booking.id, status: "confirmed" });
    for (const _ of [2, 3]) {
      expect(await deliver(succeeded)).toEqual({ received: true, eventId: succeeded.id, applied: false });
    }
    expect(await footprint()).toEqual(after);
  });

  it("converges on confirmed when Stripe's events arrive in reverse order", async () => {
    const listingId = await newListing({ instantBook: true });
    const booking = await book(guest, listingId);
    const intentId = booking.payment?.intent.id ?? "";
    await pay(intentId);
    const sent = fake.emulator.events.map((e) => e.type);
    expect(sent).toEqual(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"]);
    const [created, charged, succeeded] = fake.emulator.events as [
      EmulatedEvent,
      EmulatedEvent,
      EmulatedEvent,
    ];
    await deliver(succeeded);
    const confirmed = await footprint();
    await deliver(charged);
    await deliver(created);
    expect(await footprint()).toEqual(confirmed);
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
    expect((await paymentOf(guest, booking.id)).charged).toBe(booking.quote.total);
  });

  it("refuses a tampered, wrongly signed, unsigned or stale event with 400 and changes nothing", async () => {
    const listingId = await newListing({ instantBook: true });
    const booking = await book(guest, listingId);
    await pay(booking.payment?.intent.id ?? "");
    const event = fake.emulator.events.find((e) => e.type === "payment_intent.succeeded");
    const payload = JSON.stringify(event);
    const before = await footprint();
    const refusals = [
      [
        "a tampered body",
        await post(payload.replace('"livemode":false', '"livemode":true'), { signed: payload }),
      ],
      ["a wrong secret", await post(payload, { secret: "whsec_someone_else" })],
      ["no signature", await post(payload, { header: null })],
      ["a garbled signature", await post(payload, { header: "t=1,v1=abc" })],
      ["a stale signature", await post(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 })],
    ] as const;
    for (const [what, answer] of refusals) {
      expectStatus(answer, 400, what);
      expect(answer.body.code, `${what}: ${answer.text}`).toBe("INVALID_SIGNATURE");
    }
    expect(await footprint()).toEqual(before);
    expect((await post(payload)).status).toBe(200);
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
  });

  it("acknowledges a payment for no booking of the app's and changes nothing", async () => {
    const before = await footprint();
    for (const metadata of [{ bookingId: crypto.randomUUID() }, {}] as Stripe.MetadataParam[]) {
      const intent = await stripe.paymentIntents.create({ amount: 5_000, currency: "eur", metadata });
      await pay(intent.id);
    }
    const receipts = await deliverPending();
    expect(receipts.every((r) => r.applied)).toBe(true);
    expect(await footprint()).toEqual(before);
  });

  it("never confirms a payment whose amount is not the booking's: flagged for admins, money in suspense", async () => {
    const listingId = await newListing({ instantBook: true });
    // Stripe refuses the app's intent: the booking holds its dates with no payment started.
    fake.emulator.failNext({ method: "POST", path: "/v1/payment_intents" }, { status: 400 });
    const booking = await book(guest, listingId);
    expect(booking.payment).toBeNull();
    // Someone pays Stripe for the booking with an intent of their own, for less than it costs.
    const intent = await stripe.paymentIntents.create({
      amount: booking.quote.total - 100,
      currency: "eur",
      metadata: { bookingId: booking.id },
    });
    await pay(intent.id);
    await deliverPending();

    expect((await bookingRow(booking.id)).status).toBe("pending_payment");
    const issues = await t.call(routes.listPaymentIssues, { token: admin.accessToken });
    expectStatus(issues, 200);
    expect(issues.body.flagged, issues.text).toEqual([
      expect.objectContaining({
        bookingId: booking.id,
        intentId: intent.id,
        amount: booking.quote.total,
        status: "succeeded",
        flag: `Stripe's intent is for ${booking.quote.total - 100}; the booking for ${booking.quote.total}.`,
      }),
    ]);
    expect((await paymentOf(admin, booking.id)).flag).toMatch(/^Stripe's intent is for/);
    expect((await paymentOf(host, booking.id)).flag).toBeNull();
    const legs = await db().select().from(ledgerEntries).where(eq(ledgerEntries.bookingId, booking.id));
    expect(legs).toMatchObject([{ debit: "stripe", credit: "suspense", amount: booking.quote.total - 100 }]);
    // Nor does the tick act on it: an admin must.
    await tick();
    expect(acted("POST", /^\/v1\/(refunds|payment_intents\/.+\/(capture|cancel))$/)).toEqual([]);
  });
});

describe("request to book", () => {
  async function authorisedRequest() {
    const listingId = await newListing({ instantBook: false });
    const booking = await book(guest, listingId);
    expect(booking.status).toBe("requested");
    const intentId = booking.payment?.intent.id ?? "";
    expect(intentsCreatedFor(booking.id)[0]?.params).toMatchObject({ capture_method: "manual" });
    await pay(intentId);
    const receipts = await deliverPending();
    expect(fake.emulator.events.map((e) => e.type)).toEqual([
      "payment_intent.created",
      "payment_intent.amount_capturable_updated",
    ]);
    expect(receipts.map((r) => r.applied)).toEqual([true, true]);
    const row = await bookingRow(booking.id);
    expect(row.status).toBe("requested");
    expect(row.paymentAuthorizedAt).not.toBeNull();
    expect((await paymentOf(guest, booking.id)).charged).toBe(0);
    return { listingId, booking, intentId };
  }

  it("authorises the card at request and charges it when the host accepts", async () => {
    const { booking, intentId } = await authorisedRequest();
    const accepted = await act(bookingRoutes.acceptBooking, host, booking.id);
    expectStatus(accepted, 200);
    expect(accepted.body.status).toBe("confirmed");
    expect(keyed(`capture-${booking.id}`)).toMatchObject([
      { method: "POST", path: `/v1/payment_intents/${intentId}/capture`, status: 200 },
    ]);
    // Stripe's events about the capture (and the older ones again, in reverse) change nothing more.
    await deliverPending();
    const settled = await footprint();
    for (const event of eventsAbout(intentId).reverse()) await deliver(event);
    expect(await footprint()).toEqual(settled);
    const payment = await paymentOf(host, booking.id);
    expect(payment, JSON.stringify(payment)).toMatchObject({
      charged: booking.quote.total,
      intent: { status: "succeeded" },
      payout: { status: "scheduled", amount: booking.quote.hostPayout },
    });
  });

  it("releases the authorisation when the host declines: nothing is charged", async () => {
    const { booking, intentId } = await authorisedRequest();
    expectStatus(await act(bookingRoutes.declineBooking, host, booking.id), 200);
    expect(keyed(`release-${booking.id}`)).toMatchObject([
      { path: `/v1/payment_intents/${intentId}/cancel`, status: 200 },
    ]);
    expect(fake.emulator.paymentIntent(intentId)).toMatchObject({ status: "canceled", amount_received: 0 });
    await deliverPending();
    expect(await paymentOf(guest, booking.id)).toMatchObject({ charged: 0, intent: { status: "canceled" } });
  });

  it("releases the authorisation when the host does not answer in time", async () => {
    const { booking, intentId } = await authorisedRequest();
    clock.advance(24 * HOUR + MINUTE);
    await tick();
    expect((await bookingRow(booking.id)).status).toBe("expired");
    expect(keyed(`release-${booking.id}`)).toHaveLength(1);
    expect(fake.emulator.paymentIntent(intentId)?.status).toBe("canceled");
    await tick();
    expect(keyed(`release-${booking.id}`)).toHaveLength(1);
  });
});

describe("payments that fail or come late", () => {
  it("a declined card expires the booking and frees its dates", async () => {
    const listingId = await newListing({ instantBook: true });
    const booking = await book(guest, listingId);
    expect(await pay(booking.payment?.intent.id ?? "", "pm_card_chargeDeclined")).toBeUndefined();
    await deliverPending();
    expect((await bookingRow(booking.id)).status).toBe("expired");
    const next = await book(other, listingId);
    expect(next.status).toBe("pending_payment");
    expect((await paymentOf(guest, booking.id)).charged).toBe(0);
  });

  it.each(["the tick", "Stripe's webhook"] as const)(
    "refunds in full a payment made after the hold ran out (%s first), and the dates go to someone else",
    async (first) => {
      const listingId = await newListing({ instantBook: true });
      const booking = await book(guest, listingId);
      const intentId = booking.payment?.intent.id ?? "";
      clock.advance(16 * MINUTE);
      // Stripe knows no hold: the guest's late payment goes through.
      await pay(intentId);
      await (first === "the tick" ? tick() : deliverPending());
      expect((await bookingRow(booking.id)).status).toBe("expired");
      await renewTokens(t, other, guest);
      const taken = await book(other, listingId);
      await (first === "the tick" ? deliverPending() : tick());

      expect((await bookingRow(booking.id)).status).toBe("expired");
      expect((await bookingRow(taken.id)).status).toBe("pending_payment");
      const [refund] = await db().select().from(refunds).where(eq(refunds.bookingId, booking.id));
      expect(refund).toMatchObject({
        cause: "unconfirmed_payment",
        amount: booking.quote.total,
        status: "succeeded",
      });
      const atStripe = fake.emulator.events.filter((e) => e.type === "refund.created");
      expect(atStripe.map((e) => e.data.object)).toMatchObject([
        { id: refund?.stripeRefundId, payment_intent: intentId, amount: booking.quote.total },
      ]);
      const payment = await paymentOf(guest, booking.id);
      expect(payment, JSON.stringify(payment)).toMatchObject({
        charged: booking.quote.total,
        refunded: booking.quote.total,
        payout: null,
      });
      const legs = await db().select().from(ledgerEntries).where(eq(ledgerEntries.bookingId, booking.id));
      const net = legs.reduce((sum, leg) => sum + (leg.movement === "charge" ? leg.amount : -leg.amount), 0);
      expect(net, JSON.stringify(legs)).toBe(0);
    },
  );
});

describe("refunds", () => {
  it("refunds a guest's cancellation what the policy says, once, with a key per refund", async () => {
    // Firm: 50% from 7 to 30 days before check-in.
    const { booking, intentId } = await paidStay({ cancellationPolicy: "firm" }, "2026-06-20", "2026-06-23");
    const cancelled = await act(bookingRoutes.cancelBooking, guest, booking.id);
    expectStatus(cancelled, 200);
    const refundDue = cancelled.body.refundDue ?? 0;
    expect(refundDue).toBe(Math.round(booking.quote.total / 2));
    const [row] = await db().select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(row).toMatchObject({ cause: "cancellation", amount: refundDue, status: "succeeded" });
    expect(keyed(`refund-${row?.id}-0`)).toMatchObject([
      { path: "/v1/refunds", status: 200, params: { payment_intent: intentId, amount: String(refundDue) } },
    ]);
    await deliverPending();
    await tick();
    expect(acted("POST", "/v1/refunds")).toHaveLength(1);
    expect(await paymentOf(guest, booking.id)).toMatchObject({
      charged: booking.quote.total,
      refunded: refundDue,
      refunds: [{ cause: "cancellation", amount: refundDue, status: "succeeded" }],
    });
  });

  it("refunds a host's cancellation in full", async () => {
    const { booking } = await paidStay({ cancellationPolicy: "strict" }, "2026-06-20", "2026-06-23");
    const cancelled = await act(bookingRoutes.cancelBooking, host, booking.id);
    expectStatus(cancelled, 200);
    expect(cancelled.body.refundDue).toBe(booking.quote.total);
    await deliverPending();
    const payment = await paymentOf(host, booking.id);
    expect(payment, JSON.stringify(payment)).toMatchObject({
      refunded: booking.quote.total,
      fees: 0,
      payout: { status: "scheduled", amount: 0 },
    });
  });

  it("records a refund Stripe settles later, from refund.updated, once", async () => {
    const { booking } = await paidStay({ cancellationPolicy: "flexible" });
    fake.emulator.refundOutcome("pending");
    expectStatus(await act(bookingRoutes.cancelBooking, guest, booking.id), 200);
    const [row] = await db().select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(row).toMatchObject({ status: "pending", stripeRefundId: expect.stringMatching(/^re_/) });
    await deliverPending();
    // The tick reads a pending refund again; it asks Stripe for no second one.
    await tick();
    expect(acted("POST", "/v1/refunds")).toHaveLength(1);
    expect((await paymentOf(guest, booking.id)).refunded).toBe(0);

    fake.emulator.settleRefund(row?.stripeRefundId ?? "", "succeeded");
    const receipts = await deliverPending();
    expect(receipts.length).toBeGreaterThan(0);
    for (const event of fake.emulator.events.filter((e) => e.type === "refund.updated")) await deliver(event);
    expect(await paymentOf(guest, booking.id)).toMatchObject({
      refunded: booking.quote.total,
      refunds: [{ status: "succeeded", amount: booking.quote.total }],
    });
  });

  it("shows admins a refund Stripe failed, and the tick retries it with a new key after a back-off", async () => {
    const { booking } = await paidStay({ cancellationPolicy: "flexible" });
    fake.emulator.refundOutcome("failed");
    expectStatus(await act(bookingRoutes.cancelBooking, guest, booking.id), 200);
    const [row] = await db().select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    await deliverPending();

    const issues = await t.call(routes.listPaymentIssues, { token: admin.accessToken });
    expectStatus(issues, 200);
    expect(issues.body.refunds, issues.text).toMatchObject([
      { bookingId: booking.id, id: row?.id, status: "failed", amount: booking.quote.total, attempts: 1 },
    ]);
    expect(issues.body.refunds[0]?.lastError).toBeTruthy();
    for (const user of [guest, host]) {
      expectStatus(await t.call(routes.listPaymentIssues, { token: user.accessToken }), 403);
    }

    fake.emulator.refundOutcome("succeeded");
    await tick();
    expect(keyed(`refund-${row?.id}-1`), "retried before its back-off (2 minutes after one failure)").toEqual(
      [],
    );
    clock.advance(2 * MINUTE);
    await tick();
    expect(keyed(`refund-${row?.id}-1`)).toMatchObject([{ status: 200, replayed: false }]);
    const [retried] = await db().select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(retried).toMatchObject({ status: "succeeded", attempts: 1 });
    await deliverPending();
    expect(await paymentOf(guest, booking.id)).toMatchObject({ refunded: booking.quote.total });
    const after = await t.call(routes.listPaymentIssues, { token: admin.accessToken });
    expectStatus(after, 200);
    expect(after.body.refunds).toEqual([]);
  });

  it("records once a refund Stripe made whose answer was lost, when the tick retries with the same key", async () => {
    const { booking } = await paidStay({ cancellationPolicy: "flexible" });
    // Stripe refunds, then answers 500, and so do the SDK's two retries.
    const refundsPath = { method: "POST", path: "/v1/refunds" };
    fake.emulator.failNext(refundsPath, { afterApply: true });
    fake.emulator.failNext(refundsPath);
    fake.emulator.failNext(refundsPath);
    const cancelled = await act(bookingRoutes.cancelBooking, guest, booking.id);
    expectStatus(cancelled, 200);
    const [row] = await db().select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(row).toMatchObject({ status: "pending", stripeRefundId: null });
    expect((await paymentOf(guest, booking.id)).refunded).toBe(0);

    await tick();
    const key = `refund-${row?.id}-0`;
    expect(keyed(key).map((r) => [r.status, r.replayed])).toEqual([
      [500, false],
      [500, false],
      [500, false],
      [200, true],
    ]);
    const atStripe = fake.emulator.events.filter((e) => e.type === "refund.created");
    expect(atStripe).toHaveLength(1);
    const [recorded] = await db().select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(recorded).toMatchObject({ status: "succeeded", stripeRefundId: atStripe[0]?.data.object.id });
    await deliverPending();
    await tick();
    expect(await paymentOf(guest, booking.id)).toMatchObject({ refunded: booking.quote.total });
  });
});
