import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bookings, payments, refunds } from "../../src/db/schema/index.ts";
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
  startStripeTestApp,
} from "../support/payment-harness.ts";
import { manualClock, type TestApp } from "../support/test-app.ts";

/**
 * A request to book is authorised, and captured when its host accepts. When that capture has not
 * gone through (Stripe failed it; the tick will try again) and the stay is cancelled, money must
 * follow the cancellation policy: what the policy keeps is captured, the rest released, the host
 * paid their share of it; and when Stripe let the authorisation lapse meanwhile, nothing was
 * charged, and the booking, the payout and what admins see say so.
 */

const DAY = 24 * 60 * 60_000;
const ADMIN_EMAIL = "cancel-capture-admin@example.com";

let clock: ReturnType<typeof manualClock>;
let fake: FakeStripe;
let stripe: Stripe;
let t: TestApp;
let host: SignedUpUser;
let guest: SignedUpUser;
let admin: SignedUpUser;
let delivered: number;

beforeEach(async () => {
  clock = manualClock(new Date("2026-06-01T12:00:00Z"));
  ({ fake, stripe, t } = await startStripeTestApp(clock, { ADMIN_EMAIL }));
  [host, guest, admin] = await Promise.all([signUp(t), signUp(t), signUp(t, { email: ADMIN_EMAIL })]);
  delivered = 0;
});

afterEach(() => finishStripeTestApp({ fake, t }));

const db = () => t.db.database.connect().db;

async function tick() {
  await scheduledTick(t.deps);
  await t.deps.drainJobs();
}

async function deliverPending() {
  const pending = fake.emulator.events.slice(delivered);
  delivered = fake.emulator.events.length;
  for (const event of pending) await deliverEvent({ t, stripe }, event);
}

const act = (route: typeof bookingRoutes.cancelBooking, user: SignedUpUser, id: string) =>
  t.call(route, { token: user.accessToken, params: { id } });

async function cancel(user: SignedUpUser, id: string) {
  const answer = await act(bookingRoutes.cancelBooking, user, id);
  expectStatus(answer, 200);
  return answer.body;
}

async function paymentOf(user: SignedUpUser, bookingId: string) {
  const answer = await t.call(routes.getPayment, { token: user.accessToken, params: { id: bookingId } });
  expectStatus(answer, 200);
  return answer.body;
}

async function paymentRow(bookingId: string) {
  const [row] = await db().select().from(payments).where(eq(payments.bookingId, bookingId));
  return row;
}

async function refundRows(bookingId: string) {
  return db().select().from(refunds).where(eq(refunds.bookingId, bookingId));
}

async function issues() {
  const answer = await t.call(routes.listPaymentIssues, { token: admin.accessToken });
  expectStatus(answer, 200);
  return answer.body;
}

/** Requests Stripe acted on with `key` (not replays). */
const keyed = (key: string) => fake.emulator.requests.filter((r) => r.idempotencyKey === key && !r.replayed);

/** Stripe fails the next capture of `intentId` (and the SDK's two retries of it) with a 500. */
function failCapture(intentId: string) {
  for (let i = 0; i < 3; i++)
    fake.emulator.failNext({ method: "POST", path: `/v1/payment_intents/${intentId}/capture` });
}

const captures = (intentId: string) =>
  fake.emulator.requests.filter(
    (r) => r.path === `/v1/payment_intents/${intentId}/capture` && r.status === 200 && !r.replayed,
  );

/**
 * A firm-policy request (50% back until 7 days before check-in), authorised and accepted; with
 * `failCapture`, Stripe fails the capture the acceptance asks for, so the booking is confirmed and
 * its payment still `requires_capture`.
 */
async function acceptedRequest(options: { failCapture: boolean; checkIn?: string; checkOut?: string }) {
  const listingId = (
    await createListing(t, host.accessToken, { instantBook: false, cancellationPolicy: "firm" })
  ).id;
  const created = await t.call(bookingRoutes.createBooking, {
    token: guest.accessToken,
    body: {
      listingId,
      checkIn: options.checkIn ?? "2026-06-20",
      checkOut: options.checkOut ?? "2026-06-23",
      guests: 2,
    },
  });
  expectStatus(created, 201);
  const booking = created.body;
  const intentId = booking.payment?.intent.id ?? "";
  await payIntent(stripe, intentId);
  await deliverPending();
  if (options.failCapture) failCapture(intentId);
  const accepted = await act(bookingRoutes.acceptBooking, host, booking.id);
  expectStatus(accepted, 200);
  expect(accepted.body.status).toBe("confirmed");
  expect((await paymentRow(booking.id))?.status).toBe(options.failCapture ? "requires_capture" : "succeeded");
  return { booking, intentId };
}

describe("a stay cancelled before its capture went through", () => {
  it("captures what the policy keeps, refunds nothing, and pays the host as if captured and refunded", async () => {
    // The same stay twice: one captured at acceptance and refunded on cancellation, one not captured.
    const captured = await acceptedRequest({ failCapture: false });
    const uncaptured = await acceptedRequest({
      failCapture: true,
      checkIn: "2026-06-24",
      checkOut: "2026-06-27",
    });
    expect(uncaptured.booking.quote.total).toBe(captured.booking.quote.total);
    const total = uncaptured.booking.quote.total;

    const refundedBooking = await cancel(guest, captured.booking.id);
    const cancelled = await cancel(guest, uncaptured.booking.id);
    expect(cancelled.refundDue).toBe(refundedBooking.refundDue);
    const refundDue = cancelled.refundDue ?? 0;
    expect(refundDue).toBe(Math.round(total / 2));
    const kept = total - refundDue;

    expect(captures(uncaptured.intentId)).toMatchObject([{ params: { amount_to_capture: String(kept) } }]);
    expect(fake.emulator.paymentIntent(uncaptured.intentId)).toMatchObject({
      status: "succeeded",
      amount_received: kept,
    });
    await deliverPending();
    await tick();
    // No refund for money never taken, now or from the tick; no second capture.
    expect(await refundRows(uncaptured.booking.id)).toEqual([]);
    expect(captures(uncaptured.intentId)).toHaveLength(1);
    expect(fake.emulator.requests.filter((r) => r.path === "/v1/refunds")).toHaveLength(1);

    const reference = await paymentOf(host, captured.booking.id);
    const payment = await paymentOf(host, uncaptured.booking.id);
    expect(reference).toMatchObject({ charged: total, refunded: refundDue });
    expect(payment, JSON.stringify(payment)).toMatchObject({
      charged: kept,
      refunded: 0,
      refunds: [],
      fees: reference.fees,
      flag: null,
      intent: { status: "succeeded" },
      payout: { status: "scheduled", amount: reference.payout?.amount },
    });
    expect(payment.payout?.amount).toBeGreaterThan(0);
    expect(payment.payout?.amount).toBeLessThan(uncaptured.booking.quote.hostPayout);
    expect((await issues()).flagged).toEqual([]);
  });

  it("captures the whole authorisation when the policy refunds nothing", async () => {
    // Four days before check-in: firm refunds nothing.
    const { booking, intentId } = await acceptedRequest({
      failCapture: true,
      checkIn: "2026-06-05",
      checkOut: "2026-06-08",
    });
    const cancelled = await cancel(guest, booking.id);
    expect(cancelled.refundDue).toBe(0);
    const total = booking.quote.total;
    expect(captures(intentId)).toMatchObject([{ params: { amount_to_capture: String(total) } }]);
    await deliverPending();
    await tick();
    expect(await refundRows(booking.id)).toEqual([]);
    expect(await paymentOf(host, booking.id)).toMatchObject({
      charged: total,
      refunded: 0,
      payout: { status: "scheduled", amount: booking.quote.hostPayout },
    });
  });

  it("releases the authorisation when the cancellation refunds everything", async () => {
    const { booking, intentId } = await acceptedRequest({ failCapture: true });
    const cancelled = await cancel(host, booking.id);
    expect(cancelled.refundDue).toBe(booking.quote.total);
    expect(keyed(`release-${booking.id}`)).toMatchObject([{ status: 200 }]);
    expect(captures(intentId)).toEqual([]);
    await deliverPending();
    await tick();
    expect(fake.emulator.paymentIntent(intentId)).toMatchObject({ status: "canceled", amount_received: 0 });
    expect(await paymentOf(host, booking.id)).toMatchObject({ charged: 0, refunded: 0, payout: null });
    expect((await issues()).flagged).toEqual([]);
  });

  it("is captured by the tick when the capture fails again at the cancellation", async () => {
    const { booking, intentId } = await acceptedRequest({ failCapture: true });
    failCapture(intentId);
    const cancelled = await cancel(guest, booking.id);
    const kept = booking.quote.total - (cancelled.refundDue ?? 0);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(booking.quote.total);
    expect(fake.emulator.paymentIntent(intentId)?.status).toBe("requires_capture");
    expect((await paymentRow(booking.id))?.status).toBe("requires_capture");

    await tick();
    expect(captures(intentId)).toMatchObject([
      { idempotencyKey: `capture-kept-${booking.id}`, params: { amount_to_capture: String(kept) } },
    ]);
    expect(fake.emulator.paymentIntent(intentId)?.amount_received).toBe(kept);
    await deliverPending();
    await tick();
    expect(captures(intentId)).toHaveLength(1);
    expect(await refundRows(booking.id)).toEqual([]);
    expect(await paymentOf(guest, booking.id)).toMatchObject({ charged: kept, refunded: 0 });
  });
});

describe("an authorisation Stripe let lapse before its capture", () => {
  const LAPSED = /^Stripe canceled the authorisation before it was captured: nothing was charged/;

  it("is flagged for admins while the booking is confirmed, and its cancellation refunds nothing", async () => {
    const { booking, intentId } = await acceptedRequest({ failCapture: true });
    clock.advance(7 * DAY);
    fake.emulator.expireAuthorization(intentId);
    await deliverPending();
    await renewTokens(t, host, guest, admin);

    expect((await issues()).flagged).toEqual([
      expect.objectContaining({
        bookingId: booking.id,
        status: "canceled",
        flag: expect.stringMatching(LAPSED),
      }),
    ]);
    expect((await paymentOf(admin, booking.id)).flag).toMatch(LAPSED);
    expect(await paymentOf(host, booking.id)).toMatchObject({ charged: 0, payout: null });

    // Still more than 7 days before check-in: firm would refund half of a payment; there was none.
    const cancelled = await cancel(guest, booking.id);
    expect(cancelled.refundDue).toBe(0);
    await tick();
    // Nobody is told of money paid: there was none.
    const mails = t.logger.lines.filter(
      (line) => line.message === "mail" && String(line.subject).startsWith("Booking cancelled"),
    );
    expect(
      new Map(mails.map((line) => [line.to, /Nothing (was|had been) charged\./.test(String(line.text))])),
    ).toEqual(
      new Map([
        [guest.email, true],
        [host.email, true],
      ]),
    );
    expect(captures(intentId)).toEqual([]);
    expect(await refundRows(booking.id)).toEqual([]);
    expect(await paymentOf(host, booking.id)).toMatchObject({ charged: 0, refunded: 0, payout: null });
  });

  it("found by the tick's capture after the cancellation: nothing charged, nothing due back, flagged", async () => {
    const { booking, intentId } = await acceptedRequest({ failCapture: true });
    failCapture(intentId);
    const cancelled = await cancel(guest, booking.id);
    expect(cancelled.refundDue).toBeGreaterThan(0);
    clock.advance(7 * DAY);
    // Stripe's event about it is lost; the tick's capture finds the intent canceled.
    fake.emulator.expireAuthorization(intentId);
    delivered = fake.emulator.events.length;
    await tick();
    await renewTokens(t, host, guest, admin);

    expect(captures(intentId)).toEqual([]);
    const [row] = await db().select().from(bookings).where(eq(bookings.id, booking.id));
    expect(row?.refundDue).toBe(0);
    expect((await paymentRow(booking.id))?.flag).toMatch(LAPSED);
    expect((await issues()).flagged).toMatchObject([{ bookingId: booking.id }]);
    expect(await paymentOf(host, booking.id)).toMatchObject({
      charged: 0,
      refunded: 0,
      refunds: [],
      payout: null,
    });
    // Nothing more is asked of Stripe for it.
    const asked = fake.emulator.requests.filter((r) => r.method === "POST").length;
    await tick();
    expect(fake.emulator.requests.filter((r) => r.method === "POST")).toHaveLength(asked);
  });
});
