import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hostAccounts } from "../../src/db/schema/index.ts";
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
 * Hosts' payouts, with the real Stripe adapter against a fake Stripe server (as in
 * payments.test.ts): the test plays Stripe's webhook deliveries, the guest's card and the host's
 * onboarding. Each test has its own app, database, clock and Stripe.
 */

let clock: ReturnType<typeof manualClock>;
let fake: FakeStripe;
let stripe: Stripe;
let t: TestApp;
let host: SignedUpUser;
let guest: SignedUpUser;
let delivered: number;

beforeEach(async () => {
  clock = manualClock(new Date("2026-06-01T12:00:00Z"));
  ({ fake, stripe, t } = await startStripeTestApp(clock));
  [host, guest] = await Promise.all([signUp(t), signUp(t)]);
  delivered = 0;
});

afterEach(() => finishStripeTestApp({ fake, t }));

async function tick() {
  await scheduledTick(t.deps);
  await t.deps.drainJobs();
}

/** Moves the clock to `iso`; access tokens live 15 minutes, so users sign in again with their refresh token. */
async function moveTo(iso: string) {
  clock.advance(new Date(iso).getTime() - clock.now().getTime());
  await renewTokens(t, host, guest);
}

/** Stripe delivers, signed and in order, every event it sent since its last delivery. */
async function deliverPending() {
  for (const event of fake.emulator.events.slice(delivered)) await deliverEvent({ t, stripe }, event);
  delivered = fake.emulator.events.length;
}

const keyed = (key: string) => fake.emulator.requests.filter((r) => r.idempotencyKey === key);
const acted = (method: string, path: string) =>
  fake.emulator.requests.filter((r) => r.method === method && r.path === path && !r.replayed);

const connect = () => t.call(routes.connectPayouts, { token: host.accessToken, body: {} });

/** The host connects and finishes Stripe's onboarding; Stripe says so with `account.updated`. */
async function connectedHost() {
  expectStatus(await connect(), 200);
  const [account] = await t.db.database
    .connect()
    .db.select()
    .from(hostAccounts)
    .where(eq(hostAccounts.userId, host.id));
  if (!account) throw new Error("no account was connected");
  fake.emulator.completeOnboarding(account.stripeAccountId);
  await deliverPending();
  return account.stripeAccountId;
}

/** An instant-book stay of the guest's, paid through Stripe and confirmed by its webhook. */
async function paidStay(
  checkIn: string,
  checkOut: string,
  cancellationPolicy: "flexible" | "firm" = "flexible",
) {
  const listing = await createListing(t, host.accessToken, { instantBook: true, cancellationPolicy });
  const created = await t.call(bookingRoutes.createBooking, {
    token: guest.accessToken,
    body: { listingId: listing.id, checkIn, checkOut, guests: 2 },
  });
  expectStatus(created, 201);
  const intentId = created.body.payment?.intent.id ?? "";
  await payIntent(stripe, intentId);
  await deliverPending();
  const chargeId = fake.emulator.paymentIntent(intentId)?.latest_charge;
  return { booking: created.body, chargeId };
}

async function myPayouts() {
  const answer = await t.call(routes.listPayouts, { token: host.accessToken });
  expectStatus(answer, 200);
  return answer.body;
}

describe("payouts.connect", () => {
  it("creates one Express account per host, keyed by the host, and answers an onboarding link", async () => {
    const first = await connect();
    expectStatus(first, 200);
    expect(first.body, first.text).toMatchObject({
      url: expect.stringMatching(/^https:\/\/connect\.stripe\.com\/setup\/e\/acct_/),
      account: { connected: true, detailsSubmitted: false, payoutsEnabled: false },
      simulated: false,
    });
    const second = await connect();
    expectStatus(second, 200);
    expect(second.body.url).not.toBe(first.body.url);
    expect(acted("POST", "/v1/accounts")).toMatchObject([
      { idempotencyKey: `account-${host.id}`, params: { type: "express", metadata: { userId: host.id } } },
    ]);
  });

  it("learns from account.updated that the host can be paid", async () => {
    expect((await myPayouts()).account).toEqual({
      connected: false,
      detailsSubmitted: false,
      payoutsEnabled: false,
    });
    await connectedHost();
    expect((await myPayouts()).account).toEqual({
      connected: true,
      detailsSubmitted: true,
      payoutsEnabled: true,
    });
    const again = await connect();
    expectStatus(again, 200);
    expect(again.body.account.payoutsEnabled).toBe(true);
  });
});

describe("releasing payouts", () => {
  it("transfers the host's share from the guest's charge 24 hours after check-in, once", async () => {
    const accountId = await connectedHost();
    // Check-in 15:00 in Paris on 2026-06-10 is 13:00 UTC: the payout is due at 13:00 UTC the next day.
    const { booking, chargeId } = await paidStay("2026-06-10", "2026-06-13");
    await moveTo("2026-06-11T12:59:00Z");
    await tick();
    expect(acted("POST", "/v1/transfers")).toEqual([]);

    await moveTo("2026-06-11T13:00:00Z");
    await tick();
    await tick();
    expect(keyed(`payout-${booking.id}`)).toMatchObject([
      {
        path: "/v1/transfers",
        status: 200,
        params: {
          amount: String(booking.quote.hostPayout),
          currency: "eur",
          destination: accountId,
          source_transaction: chargeId,
        },
      },
    ]);
    const page = await myPayouts();
    expect(page.items, JSON.stringify(page)).toMatchObject([
      {
        bookingId: booking.id,
        status: "paid",
        amount: booking.quote.hostPayout,
        releaseAt: "2026-06-11T13:00:00.000Z",
        paidAt: "2026-06-11T13:00:00.000Z",
        transferId: expect.stringMatching(/^tr_/),
      },
    ]);
    expect(page.balance).toEqual([{ currency: "EUR", owed: 0 }]);
  });

  it("keeps a share owed to a host with no account, and pays it on the first tick after they connect", async () => {
    const { booking } = await paidStay("2026-06-10", "2026-06-13");
    await moveTo("2026-06-12T09:00:00Z");
    await tick();
    const waiting = await myPayouts();
    expect(waiting, JSON.stringify(waiting)).toMatchObject({
      items: [{ bookingId: booking.id, status: "waiting_for_account", amount: booking.quote.hostPayout }],
      account: { connected: false },
      balance: [{ currency: "EUR", owed: booking.quote.hostPayout }],
    });
    expect(acted("POST", "/v1/transfers")).toEqual([]);

    await connectedHost();
    await tick();
    const paid = await myPayouts();
    expect(paid, JSON.stringify(paid)).toMatchObject({
      items: [{ status: "paid", amount: booking.quote.hostPayout }],
      balance: [{ currency: "EUR", owed: 0 }],
    });
    expect(keyed(`payout-${booking.id}`)).toHaveLength(1);
  });

  it("pays less by the host's share of a guest's partial refund made before the release", async () => {
    await connectedHost();
    // Firm: 50% back from 7 to 30 days before check-in.
    const { booking } = await paidStay("2026-06-20", "2026-06-23", "firm");
    const cancelled = await t.call(bookingRoutes.cancelBooking, {
      token: guest.accessToken,
      params: { id: booking.id },
    });
    expectStatus(cancelled, 200);
    const { total, hostPayout } = booking.quote;
    const refunded = cancelled.body.refundDue ?? 0;
    expect(refunded).toBe(Math.round(total / 2));
    // The host bears the refund in proportion to their share of the price, to the nearest cent.
    const kept = hostPayout - Math.floor((hostPayout * refunded + Math.floor(total / 2)) / total);
    await deliverPending();

    await moveTo("2026-06-21T13:00:00Z");
    await tick();
    expect(keyed(`payout-${booking.id}`)).toMatchObject([{ status: 200, params: { amount: String(kept) } }]);
    expect((await myPayouts()).items).toMatchObject([
      { bookingId: booking.id, status: "paid", amount: kept },
    ]);
  });

  it("cancels the payout of a stay refunded in full before the release: nothing is transferred", async () => {
    await connectedHost();
    const { booking } = await paidStay("2026-06-10", "2026-06-13");
    const cancelled = await t.call(bookingRoutes.cancelBooking, {
      token: host.accessToken,
      params: { id: booking.id },
    });
    expectStatus(cancelled, 200);
    await deliverPending();

    await moveTo("2026-06-11T13:00:00Z");
    await tick();
    expect(acted("POST", "/v1/transfers")).toEqual([]);
    const page = await myPayouts();
    expect(page.items, JSON.stringify(page)).toMatchObject([
      { bookingId: booking.id, status: "cancelled", amount: 0, paidAt: null, transferId: null },
    ]);
    expect(page.balance).toEqual([{ currency: "EUR", owed: 0 }]);
  });
});
