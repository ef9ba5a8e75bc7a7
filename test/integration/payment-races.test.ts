import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookingEvents, bookings, ledgerEntries, refunds } from "../../src/db/schema/index.ts";
import { refundAt } from "../../src/domain/bookings/refund-schedule.ts";
import { settleBookings } from "../../src/domain/bookings/settle-bookings.ts";
import { scheduledTick } from "../../src/jobs.ts";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import { expectStatus } from "../support/api.ts";
import { expectCalendarInvariants } from "../support/booking-invariants.ts";
import { insertListing, insertUser } from "../support/factories.ts";
import type { FakeStripe } from "../support/fake-stripe.ts";
import { expectLedgerInvariants } from "../support/ledger-invariants.ts";
import {
  deliverWebhook,
  payIntent,
  type SignedInGuest,
  signInGuests,
  startStripeTestApp,
} from "../support/payment-harness.ts";
import { manualClock, type TestApp } from "../support/test-app.ts";
import { engine } from "../support/test-database.ts";

/**
 * Issue 14: every cent accounted for while Stripe's webhook races the guest and the clock, proved
 * on real PostgreSQL (PGlite runs one transaction at a time and would hide every race here). Each
 * race ends in one consistent state; after each, the ledger's and the calendar's invariants are
 * asked of the whole database and of the fake Stripe's own books.
 */

const GUESTS = 25;
const PASSWORD = "payment race guests share this password";
// The clock stands still unless a race moves it (and moves it back): access tokens stay valid.
const clock = manualClock(new Date("2026-06-01T12:00:00Z"));
const SECOND = 1000;

/** Waits `ms` milliseconds (0: the next turn of the event loop). */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Races of each kind; race `i` gives the webhook a lead of `leadOf(i)` ms over its rival. */
const ROUNDS = 24;
// The webhook still has its transaction to open, so the rival wins without a lead of its own:
// the spread runs well past where the webhook starts winning, so that slower machines see both.
const leadOf = (i: number) => (i % 12) - 2;

describe.skipIf(engine !== "postgres")("payments under races (PostgreSQL)", () => {
  let fake: FakeStripe;
  let stripe: Stripe;
  let t: TestApp;
  let hostId: string;
  let guests: SignedInGuest[];
  const db = () => t.db.database.connect().db;
  /**
   * Reads of an intent the fake Stripe holds back, by intent id: it calls `reached` once it has
   * the answer, and sends it when `gate` opens.
   */
  const readers = new Map<string, { reached: () => void; gate: Promise<void> }>();

  beforeAll(async () => {
    ({ fake, stripe, t } = await startStripeTestApp(clock));
    // The fake's server looks `emulator.fetch` up on each request: wrapping it now holds reads back.
    const serve = fake.emulator.fetch;
    fake.emulator.fetch = async (request) => {
      const answer = await serve(request);
      const read =
        request.method === "GET" && /\/v1\/payment_intents\/([^/?]+)$/.exec(new URL(request.url).pathname);
      const reader = read ? readers.get(read[1] ?? "") : undefined;
      if (reader) {
        reader.reached();
        await reader.gate;
      }
      return answer;
    };
    guests = await signInGuests(t, GUESTS, PASSWORD);
    hostId = (await insertUser(db())).id;
  });
  afterAll(async () => {
    await t?.deps.drainJobs();
    await t?.close();
    await fake?.close();
  });

  const guest = (i: number): SignedInGuest => {
    const found = guests[i % GUESTS];
    if (!found) throw new Error(`no guest ${i}`);
    return found;
  };

  /**
   * A firm-policy listing: a stay 20 days ahead earns a guest who cancels half the total back,
   * so a cancellation's refund (half) is told apart from an unconfirmed payment's (all of it).
   */
  const newListing = async () =>
    (await insertListing(db(), { hostId, instantBook: true, cancellationPolicy: "firm" })).id;
  const stay = (listingId: string) => ({
    listingId,
    checkIn: "2026-06-21",
    checkOut: "2026-06-24",
    guests: 2,
  });

  /** Guest `i` books a stay at `listingId`: pending payment, with its PaymentIntent to pay. */
  async function book(listingId: string, i: number) {
    const answer = await t.call(bookingRoutes.createBooking, {
      token: guest(i).token,
      body: stay(listingId),
    });
    expectStatus(answer, 201);
    const booking = answer.body;
    expect(booking.status).toBe("pending_payment");
    const intentId = booking.payment?.intent.id;
    if (!intentId) throw new Error(`booking ${booking.id} came without a payment: ${answer.text}`);
    return { booking, intentId };
  }

  /** `count` new listings, each booked at once by a guest: guest `i` books the `i`th. */
  async function bookEach(count: number) {
    const listingIds = await Promise.all(Array.from({ length: count }, () => newListing()));
    return Promise.all(listingIds.map((listingId, i) => book(listingId, i)));
  }

  /**
   * The guest pays as Stripe.js would; answers Stripe's `payment_intent.succeeded` event, not
   * delivered yet. Until it is, Stripe holds a charge the ledger cannot know of: pay just before
   * the race, so that the invariants hold between races.
   */
  async function pay(intentId: string) {
    const paid = await payIntent(stripe, intentId);
    expect(paid.status).toBe("succeeded");
    const event = fake.emulator.events.find(
      (e) => e.type === "payment_intent.succeeded" && e.data.object.id === intentId,
    );
    if (!event) throw new Error(`Stripe sent no payment_intent.succeeded for ${intentId}`);
    return JSON.stringify(event);
  }

  /** Stripe posting a signed event to the webhook. */
  const deliver = (payload: string) => deliverWebhook({ t, stripe }, payload);

  /**
   * Holds back the fake Stripe's answers to reads of `intentId` (a webhook reads the intent again
   * just before its transaction opens) until the returned function is called; `reached` hears
   * each read as it is held.
   */
  function holdReads(intentId: string, reached: () => void): () => void {
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    readers.set(intentId, { reached, gate });
    return () => {
      readers.delete(intentId);
      open();
    };
  }

  /**
   * Stripe's webhook for a paid booking against `rival`, lined up where the race is closest: the
   * webhook has read the intent again and opens its transaction next. From there the webhook goes
   * on `lead` ms ahead of the rival (negative: behind it).
   */
  async function raceWebhook<R>(
    paid: { intentId: string; payload: string },
    lead: number,
    rival: () => Promise<R>,
  ) {
    let reached = () => {};
    const readAgain = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const release = holdReads(paid.intentId, reached);
    const webhook = deliver(paid.payload);
    // Should the webhook answer without reading the intent, its rival still runs.
    webhook.then(reached, reached);
    await readAgain;
    void pause(Math.max(0, -lead)).then(release);
    const other = pause(Math.max(0, lead)).then(rival);
    try {
      return await Promise.all([webhook, other]);
    } finally {
      release();
    }
  }

  /** The tick, then the jobs it handed on: whatever Stripe is still owed after a race is sent. */
  async function tick() {
    await scheduledTick(t.deps);
    await t.deps.drainJobs();
  }

  /** Request log lines from `from` on that answered 5xx. */
  const serverErrors = (from: number) =>
    t.logger.lines.slice(from).filter((line) => line.message === "request" && Number(line.status) >= 500);

  async function bookingRow(id: string) {
    const [row] = await db().select().from(bookings).where(eq(bookings.id, id));
    if (!row) throw new Error(`no booking ${id}`);
    return row;
  }

  /** The booking's states in the order it went through them (one clock instant may hold them all). */
  async function historyOf(id: string) {
    const moves = await db()
      .select({ from: bookingEvents.fromStatus, to: bookingEvents.toStatus })
      .from(bookingEvents)
      .where(eq(bookingEvents.bookingId, id));
    const history: string[] = [];
    for (let from: string | null = null; ; ) {
      const next = moves.filter((move) => move.from === from);
      if (next.length !== 1 || !next[0]) break;
      from = next[0].to;
      history.push(from);
    }
    expect(history, JSON.stringify(moves)).toHaveLength(moves.length);
    return history;
  }

  const refundsOf = (id: string) =>
    db()
      .select({ cause: refunds.cause, amount: refunds.amount, status: refunds.status })
      .from(refunds)
      .where(eq(refunds.bookingId, id));

  /** What the ledger holds per movement for a booking. */
  async function movementsOf(id: string) {
    const rows = await db()
      .select({
        movement: ledgerEntries.movement,
        amount: ledgerEntries.amount,
        reference: ledgerEntries.reference,
      })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.bookingId, id));
    const sum = (movement: string) =>
      rows.filter((row) => row.movement === movement).reduce((total, row) => total + row.amount, 0);
    const references = (movement: string) =>
      new Set(rows.filter((row) => row.movement === movement).map((row) => row.reference));
    return { charged: sum("charge"), refunded: sum("refund"), charges: references("charge") };
  }

  /** Counts end states by name, for the assertion messages and the report. */
  const tally = (names: string[]) =>
    Object.fromEntries([...new Set(names)].map((name) => [name, names.filter((n) => n === name).length]));

  /** The invariants after a race, asked of the whole database and of the fake Stripe's books. */
  async function expectInvariants() {
    await expectLedgerInvariants(db(), fake.emulator);
    await expectCalendarInvariants(db());
  }

  it(`ends the success webhook racing the guest's cancellation in one consistent state (${ROUNDS} races)`, async () => {
    const from = t.logger.lines.length;
    const booked = await bookEach(ROUNDS);

    const ends: string[] = [];
    for (const [i, { booking, intentId }] of booked.entries()) {
      const payload = await pay(intentId);
      const [webhook, cancel] = await raceWebhook({ intentId, payload }, leadOf(i), () =>
        t.call(bookingRoutes.cancelBooking, { token: guest(i).token, params: { id: booking.id } }),
      );
      expectStatus(webhook, 200);
      expect(webhook.body.applied, webhook.text).toBe(true);
      expectStatus(cancel, 200);
      expect(cancel.body.status, cancel.text).toBe("cancelled");
      await tick();

      const row = await bookingRow(booking.id);
      const total = booking.quote.total;
      // Cancelled, whoever came first: never confirmed after the cancellation answered.
      expect(row.status, booking.id).toBe("cancelled");
      const history = await historyOf(booking.id);
      const money = await movementsOf(booking.id);
      expect(money.charges, booking.id).toEqual(new Set([intentId]));
      expect(money.charged, booking.id).toBe(total);
      if (row.paymentAuthorizedAt) {
        // (a) The payment confirmed the booking; the guest then cancelled it under the policy.
        ends.push("confirmed, then cancelled with the policy's refund");
        const due = refundAt(booking.quote.cancellation, clock.now());
        expect(due).toBeGreaterThan(0);
        expect(due).toBeLessThan(total);
        expect(history).toEqual(["pending_payment", "confirmed", "cancelled"]);
        expect(cancel.body.refundDue).toBe(due);
        expect(row.refundDue).toBe(due);
        expect(await refundsOf(booking.id)).toEqual([
          { cause: "cancellation", amount: due, status: "succeeded" },
        ]);
        expect(money.refunded).toBe(due);
      } else {
        // (b) Cancelled unpaid; the payment that came after is given back in full.
        ends.push("cancelled unpaid, payment refunded in full");
        expect(history).toEqual(["pending_payment", "cancelled"]);
        expect(row.refundDue).toBe(0);
        expect(await refundsOf(booking.id)).toEqual([
          { cause: "unconfirmed_payment", amount: total, status: "succeeded" },
        ]);
        expect(money.refunded).toBe(total);
      }
      await expectInvariants();
    }
    console.info("webhook × cancellation:", tally(ends));
    expect(serverErrors(from)).toEqual([]);
    // Both orders happened: the race was real.
    expect(Object.keys(tally(ends)), JSON.stringify(tally(ends))).toHaveLength(2);
  }, 120_000);

  it(`ends the success webhook racing the hold's expiry in one consistent state (${ROUNDS} races)`, async () => {
    const from = t.logger.lines.length;
    const booked = await bookEach(ROUNDS);

    const ends: string[] = [];
    for (const [i, { booking, intentId }] of booked.entries()) {
      const payload = await pay(intentId);
      if (!booking.holdExpiresAt) throw new Error(`booking ${booking.id} holds no dates`);
      const expiry = new Date(booking.holdExpiresAt);
      // The payment reaches the app a second before the hold runs out (the app's clock), and the
      // listing's sweep (its Durable Object alarm, or the tick) runs at the very moment it does.
      const jump = expiry.getTime() - SECOND - clock.now().getTime();
      const atExpiry = { ...t.deps, clock: { now: () => expiry } };
      clock.advance(jump);
      try {
        const [webhook] = await raceWebhook({ intentId, payload }, leadOf(i), () =>
          settleBookings({ ctx: { db: db(), deps: atExpiry }, input: { listingId: booking.listingId } }),
        );
        expectStatus(webhook, 200);
        expect(webhook.body.applied, webhook.text).toBe(true);
        await tick();
      } finally {
        clock.advance(-jump);
      }

      const row = await bookingRow(booking.id);
      const total = booking.quote.total;
      const history = await historyOf(booking.id);
      const money = await movementsOf(booking.id);
      expect(money.charges, booking.id).toEqual(new Set([intentId]));
      expect(money.charged, booking.id).toBe(total);
      if (row.status === "confirmed") {
        // The payment came within the hold: the stay is the guest's, and the money kept.
        ends.push("confirmed");
        expect(history).toEqual(["pending_payment", "confirmed"]);
        expect(row.paymentAuthorizedAt).not.toBeNull();
        expect(await refundsOf(booking.id)).toEqual([]);
        expect(money.refunded).toBe(0);
      } else {
        // The sweep came first: the booking expired, its dates are free, the payment goes back.
        ends.push("expired, payment refunded in full");
        expect(row.status, booking.id).toBe("expired");
        expect(history).toEqual(["pending_payment", "expired"]);
        expect(row.paymentAuthorizedAt).toBeNull();
        expect(await refundsOf(booking.id)).toEqual([
          { cause: "unconfirmed_payment", amount: total, status: "succeeded" },
        ]);
        expect(money.refunded).toBe(total);
      }
      // The same nights for another guest: free exactly when the first booking expired.
      const next = await t.call(bookingRoutes.createBooking, {
        token: guest(i + 1).token,
        body: stay(booking.listingId),
      });
      if (row.status === "confirmed") {
        expectStatus(next, 409);
        expect(next.body.code).toBe("BOOKING_CONFLICT");
      } else {
        expectStatus(next, 201);
      }
      await expectInvariants();
    }
    console.info("webhook × hold expiry:", tally(ends));
    expect(serverErrors(from)).toEqual([]);
    expect(Object.keys(tally(ends)), JSON.stringify(tally(ends))).toHaveLength(2);
  }, 120_000);

  it("applies a success event Stripe delivers 5 times at once exactly once (10 events)", async () => {
    const from = t.logger.lines.length;
    const booked = await bookEach(10);
    const paid = await Promise.all(booked.map(async (b) => ({ ...b, payload: await pay(b.intentId) })));

    // Each event's five deliveries all read the intent again (none had been applied yet) before
    // any goes on: the five then reach their transactions together.
    const answers = await Promise.all(
      paid.map(async ({ intentId, payload }) => {
        let reads = 0;
        let allRead = () => {};
        const fiveReads = new Promise<void>((resolve) => {
          allRead = resolve;
        });
        const release = holdReads(intentId, () => {
          if (++reads === 5) allRead();
        });
        const deliveries = Promise.all(Array.from({ length: 5 }, () => deliver(payload)));
        await Promise.race([fiveReads, deliveries, pause(5 * SECOND)]);
        release();
        expect(reads, intentId).toBe(5);
        return deliveries;
      }),
    );
    for (const [r, deliveries] of answers.entries()) {
      const applied = deliveries.map((answer) => {
        expectStatus(answer, 200);
        return answer.body.applied;
      });
      expect(applied.filter(Boolean), `round ${r}: ${applied.join(", ")}`).toHaveLength(1);
    }
    await tick();

    for (const { booking, intentId } of paid) {
      const row = await bookingRow(booking.id);
      expect(row.status).toBe("confirmed");
      expect(await historyOf(booking.id)).toEqual(["pending_payment", "confirmed"]);
      const entries = await db()
        .select({ amount: ledgerEntries.amount })
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.bookingId, booking.id), eq(ledgerEntries.movement, "charge")));
      // One charge: its host and platform legs, once each, adding up to what the guest paid.
      expect(entries).toHaveLength(2);
      expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(booking.quote.total);
      expect((await movementsOf(booking.id)).charges).toEqual(new Set([intentId]));
      expect(await refundsOf(booking.id)).toEqual([]);
    }
    expect(serverErrors(from)).toEqual([]);
    await expectInvariants();
  }, 60_000);
});
