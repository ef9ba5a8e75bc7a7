import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scheduledTick } from "../../src/jobs.ts";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import * as routes from "../../src/routes/payments/payments.routes.ts";
import { expectStatus } from "../support/api.ts";
import { type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { expectLedgerInvariants } from "../support/ledger-invariants.ts";
import { createListing } from "../support/listing-factory.ts";
import { startStripeTestApp } from "../support/payment-harness.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

/**
 * The embedded default (no STRIPE_SECRET_KEY): the same Stripe adapter on the in-process emulator,
 * whose signed events reach the webhook's verb, and the simulated card of the README's walk-through.
 */

const HOUR = 3_600_000;
const clock = manualClock(new Date("2026-06-01T12:00:00Z"));
let t: TestApp;
let host: SignedUpUser;
let guest: SignedUpUser;

beforeAll(async () => {
  t = await createTestApp({ deps: { clock } });
  [host, guest] = await Promise.all([signUp(t), signUp(t)]);
});
afterAll(() => t.close());

const db = () => t.db.database.connect().db;

async function book(instantBook: boolean, checkIn: string, checkOut: string) {
  const { id: listingId } = await createListing(t, host.accessToken, { instantBook });
  const answer = await t.call(bookingRoutes.createBooking, {
    token: guest.accessToken,
    body: { listingId, checkIn, checkOut, guests: 2 },
  });
  expectStatus(answer, 201);
  return answer.body;
}

const simulate = (user: SignedUpUser, id: string, outcome: "succeed" | "fail") =>
  t.call(routes.simulatePayment, { token: user.accessToken, params: { id }, body: { outcome } });

async function statusOf(id: string) {
  const answer = await t.call(bookingRoutes.getBooking, { token: guest.accessToken, params: { id } });
  expectStatus(answer, 200);
  return answer.body.status;
}

describe("simulated payments", () => {
  it("say they are simulated, and confirm an instant booking the simulated card pays", async () => {
    const booking = await book(true, "2026-07-01", "2026-07-04");
    expect(booking.payment).toMatchObject({ simulated: true, amount: booking.quote.total });
    expect(booking.payment?.intent.clientSecret).toMatch(/_secret_/);

    const paid = await simulate(guest, booking.id, "succeed");
    expectStatus(paid, 200);
    expect(paid.body).toMatchObject({ simulated: true, charged: booking.quote.total, refunded: 0 });
    expect(await statusOf(booking.id)).toBe("confirmed");
    await expectLedgerInvariants(db());
  });

  it("expire a booking whose simulated card is declined, and free its dates", async () => {
    const booking = await book(true, "2026-08-01", "2026-08-04");
    const declined = await simulate(guest, booking.id, "fail");
    expectStatus(declined, 200);
    expect(declined.body.charged).toBe(0);
    expect(await statusOf(booking.id)).toBe("expired");
  });

  it("walk the README's request: authorised, charged on accept, refunded on cancel", async () => {
    const booking = await book(false, "2026-09-01", "2026-09-04");
    expect(booking.payment?.intent.captureMethod).toBe("manual");
    expectStatus(await simulate(guest, booking.id, "succeed"), 200);
    expect(await statusOf(booking.id)).toBe("requested");

    const accepted = await t.call(bookingRoutes.acceptBooking, {
      token: host.accessToken,
      params: { id: booking.id },
    });
    expectStatus(accepted, 200);
    expect(accepted.body.status).toBe("confirmed");
    const charged = await t.call(routes.getPayment, { token: host.accessToken, params: { id: booking.id } });
    expectStatus(charged, 200);
    expect(charged.body).toMatchObject({ charged: booking.quote.total, payout: { status: "scheduled" } });

    const cancelled = await t.call(bookingRoutes.cancelBooking, {
      token: guest.accessToken,
      params: { id: booking.id },
    });
    expectStatus(cancelled, 200);
    const refunded = await t.call(routes.getPayment, {
      token: guest.accessToken,
      params: { id: booking.id },
    });
    expectStatus(refunded, 200);
    expect(refunded.body.refunded).toBe(cancelled.body.refundDue);
    expect(refunded.body.refunds).toMatchObject([{ cause: "cancellation", status: "succeeded" }]);
    await expectLedgerInvariants(db());
  });

  it("complete a host's onboarding at once, and pay the host a day after check-in", async () => {
    const connected = await t.call(routes.connectPayouts, { token: host.accessToken, body: {} });
    expectStatus(connected, 200);
    expect(connected.body).toMatchObject({ simulated: true, account: { payoutsEnabled: true } });

    const booking = await book(true, "2026-06-10", "2026-06-12");
    expectStatus(await simulate(guest, booking.id, "succeed"), 200);
    clock.advance(12 * 24 * HOUR);
    await scheduledTick(t.deps);
    clock.advance(-12 * 24 * HOUR);
    const payouts = await t.call(routes.listPayouts, { token: host.accessToken });
    expectStatus(payouts, 200);
    expect(payouts.body.items.find((p) => p.bookingId === booking.id)).toMatchObject({
      status: "paid",
      amount: booking.quote.hostPayout,
    });
    await expectLedgerInvariants(db());
  });
});

describe("the simulated card with a real Stripe key", () => {
  it("is not there: 404", async () => {
    const { t: real, fake } = await startStripeTestApp(manualClock());
    try {
      const owner = await signUp(real);
      const answer = await real.call(routes.simulatePayment, {
        token: owner.accessToken,
        params: { id: "019af3c2-7d4e-7a10-9c1b-2f4d5e6a7b8c" },
        body: { outcome: "succeed" },
      });
      expectStatus(answer, 404);
      expect(answer.body.detail).toMatch(/not simulated/);
    } finally {
      await real.close();
      await fake.close();
    }
  });
});
