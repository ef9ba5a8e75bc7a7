import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bookingEvents, bookings, outbox } from "../../src/db/schema/index.ts";
import { acceptBooking } from "../../src/domain/bookings/accept-booking.ts";
import { confirmPayment } from "../../src/domain/bookings/confirm-payment.ts";
import { scheduledTick } from "../../src/jobs.ts";
import * as routes from "../../src/routes/bookings/bookings.routes.ts";
import * as listingRoutes from "../../src/routes/listings/listings.routes.ts";
import { expectStatus } from "../support/api.ts";
import { type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { createListing } from "../support/listing-factory.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

const HOUR = 3_600_000;
// 2026-06-01T12:00Z: 14:00 in Paris, where the example listing is.
const clock = manualClock(new Date("2026-06-01T12:00:00Z"));
let t: TestApp;
let host: SignedUpUser;
let guest: SignedUpUser;
let stranger: SignedUpUser;

beforeAll(async () => {
  t = await createTestApp({ env: { TAX_PERCENT: "10" }, deps: { clock } });
  [host, guest, stranger] = await Promise.all([signUp(t), signUp(t), signUp(t)]);
});
afterAll(() => t.close());

const db = () => t.db.database.connect().db;
/** A domain context with no actor: what the payments feature and the tick use. */
const ctx = () => ({ db: db(), deps: t.deps });

/** A fresh published listing of `host`: its calendar is empty. */
async function newListing(overrides: Parameters<typeof createListing>[2] = {}) {
  return (await createListing(t, host.accessToken, overrides)).id;
}

const stay = (listingId: string, checkIn: string, checkOut: string, guests = 2) => ({
  listingId,
  checkIn,
  checkOut,
  guests,
});

const book = (token: string, body: ReturnType<typeof stay> & { message?: string }) =>
  t.call(routes.createBooking, { token, body });

async function booked(token: string, body: ReturnType<typeof stay>) {
  const answer = await book(token, body);
  expectStatus(answer, 201);
  return answer.body;
}

describe("bookings.quote", () => {
  it("itemises nights, discount, fees and taxes that add up to the total", async () => {
    const id = await newListing({ weeklyDiscountPercent: 10, cleaningFee: 3000, nightlyPrice: 10_000 });
    const answer = await t.call(routes.quoteBooking, { body: stay(id, "2026-07-01", "2026-07-08") });
    expectStatus(answer, 200);
    const q = answer.body;
    expect(q.nights).toBe(7);
    expect(q.nightly.map((n) => n.date)).toEqual([
      "2026-07-01",
      "2026-07-02",
      "2026-07-03",
      "2026-07-04",
      "2026-07-05",
      "2026-07-06",
      "2026-07-07",
    ]);
    expect(q).toMatchObject({
      nightsTotal: 70_000,
      discountPercent: 10,
      discount: 7_000,
      cleaningFee: 3_000,
    });
    // 14% and 10% of 66,000; the host's 3%.
    expect(q).toMatchObject({ serviceFee: 9_240, taxes: 6_600, hostFee: 1_980, hostPayout: 64_020 });
    expect(q.total).toBe(q.nightsTotal - q.discount + q.cleaningFee + q.serviceFee + q.taxes);
    expect(q.currency).toBe("EUR");
  });

  it("states the moderate policy as dated steps in the listing's time zone", async () => {
    const id = await newListing({ cancellationPolicy: "moderate", timezone: "Europe/Lisbon" });
    const answer = await t.call(routes.quoteBooking, { body: stay(id, "2026-07-10", "2026-07-12") });
    expectStatus(answer, 200);
    expect(answer.body.cancellation.steps).toEqual([
      {
        until: "2026-07-05T14:00:00.000Z",
        untilLocal: "2026-07-05T15:00",
        refundPercent: 100,
        refund: answer.body.total,
        description: "until 2026-07-05T15:00 Europe/Lisbon: 100%",
      },
      { until: null, untilLocal: null, refundPercent: 0, refund: 0, description: "after that: 0%" },
    ]);
  });

  it.each([
    ["check-out before check-in", stay("", "2026-07-10", "2026-07-09"), "body.checkOut"],
    ["check-out on check-in", stay("", "2026-07-10", "2026-07-10"), "body.checkOut"],
    ["check-in in the past", stay("", "2026-05-31", "2026-06-03"), "body.checkIn"],
    ["a stay shorter than the minimum", stay("", "2026-07-10", "2026-07-11"), "body.checkOut"],
    ["a stay longer than the maximum", stay("", "2026-07-10", "2026-07-25"), "body.checkOut"],
    ["more guests than it sleeps", stay("", "2026-07-10", "2026-07-13", 5), "body.guests"],
    ["a check-in inside the advance notice", stay("", "2026-06-02", "2026-06-05"), "body.checkIn"],
    ["a check-in beyond the booking window", stay("", "2026-09-05", "2026-09-08"), "body.checkIn"],
    ["an impossible date", stay("", "2026-02-30", "2026-03-02"), "body.checkIn"],
  ])("refuses %s with 400 naming the field", async (_, body, location) => {
    const id = await newListing({
      minNights: 2,
      maxNights: 14,
      maxGuests: 4,
      advanceNoticeDays: 2,
      bookingWindowDays: 90,
    });
    const answer = await t.call(routes.quoteBooking, { body: { ...body, listingId: id } });
    expectStatus(answer, 400);
    expect(answer.body.errors?.map((e) => e.location)).toEqual([location]);
  });

  it("accepts a check-in today, the listing's today, across the date line", async () => {
    // 12:00 UTC is already 2026-06-02 in Kiritimati (UTC+14).
    const id = await newListing({ timezone: "Pacific/Kiritimati", location: { lat: 1.87, lng: -157.4 } });
    expectStatus(await t.call(routes.quoteBooking, { body: stay(id, "2026-06-02", "2026-06-04") }), 200);
    const past = await t.call(routes.quoteBooking, { body: stay(id, "2026-06-01", "2026-06-04") });
    expectStatus(past, 400);
  });

  it("is 409 DATES_UNAVAILABLE when a night is taken, and 404 for a draft", async () => {
    const id = await newListing({ instantBook: true });
    await booked(guest.accessToken, stay(id, "2026-07-10", "2026-07-12"));
    const taken = await t.call(routes.quoteBooking, { body: stay(id, "2026-07-11", "2026-07-13") });
    expectStatus(taken, 409);
    expect(taken.body.code).toBe("DATES_UNAVAILABLE");
    const draft = await newListing({ status: "draft" });
    expectStatus(await t.call(routes.quoteBooking, { body: stay(draft, "2026-07-10", "2026-07-12") }), 404);
  });
});

describe("bookings.create", () => {
  it("holds an instant-book stay for payment at the quoted price, with history and outbox", async () => {
    const id = await newListing({ instantBook: true });
    const created = await book(guest.accessToken, {
      ...stay(id, "2026-07-01", "2026-07-04"),
      message: "Hi!",
    });
    expectStatus(created, 201);
    expect(created.headers.get("location")).toBe(`/v1/bookings/${created.body.id}`);
    expect(created.body).toMatchObject({
      status: "pending_payment",
      guestId: guest.id,
      hostId: host.id,
      message: "Hi!",
      holdExpiresAt: new Date(clock.now().getTime() + 15 * 60_000).toISOString(),
    });
    expect(created.body.quote.nights).toBe(3);
    const events = await db()
      .select()
      .from(bookingEvents)
      .where(eq(bookingEvents.bookingId, created.body.id));
    expect(events).toMatchObject([{ fromStatus: null, toStatus: "pending_payment", actorRole: "guest" }]);
    const messages = await db().select().from(outbox).where(eq(outbox.topic, "booking.changed"));
    expect(messages.some((m) => (m.payload as { bookingId: string }).bookingId === created.body.id)).toBe(
      true,
    );
  });

  it("keeps its price when the listing's price changes", async () => {
    const listing = await createListing(t, host.accessToken, { instantBook: true });
    const created = await booked(guest.accessToken, stay(listing.id, "2026-07-01", "2026-07-04"));
    const changed = await t.call(listingRoutes.updateListing, {
      token: host.accessToken,
      params: { id: listing.id },
      body: { nightlyPrice: 99_000 },
    });
    expectStatus(changed, 200);
    const read = await t.call(routes.getBooking, { token: guest.accessToken, params: { id: created.id } });
    expectStatus(read, 200);
    expect(read.body.quote).toEqual(created.quote);
  });

  it("sends a request to a host who answers, and refuses the host their own listing", async () => {
    const id = await newListing();
    const created = await booked(guest.accessToken, stay(id, "2026-07-01", "2026-07-04"));
    expect(created.status).toBe("requested");
    expect(created.holdExpiresAt).toBe(new Date(clock.now().getTime() + 24 * HOUR).toISOString());
    const own = await book(host.accessToken, stay(id, "2026-08-01", "2026-08-04"));
    expectStatus(own, 403);
  });

  it("refuses overlapping nights with 409 BOOKING_CONFLICT and takes back-to-back stays", async () => {
    const id = await newListing({ instantBook: true });
    await booked(guest.accessToken, stay(id, "2026-07-10", "2026-07-13"));
    for (const [checkIn, checkOut] of [
      ["2026-07-12", "2026-07-14"],
      ["2026-07-08", "2026-07-11"],
      ["2026-07-11", "2026-07-12"],
      ["2026-07-05", "2026-07-20"],
    ] as const) {
      const clash = await book(stranger.accessToken, stay(id, checkIn, checkOut));
      expectStatus(clash, 409);
      expect(clash.body.code).toBe("BOOKING_CONFLICT");
    }
    await booked(stranger.accessToken, stay(id, "2026-07-13", "2026-07-15"));
    await booked(stranger.accessToken, stay(id, "2026-07-08", "2026-07-10"));
  });

  it("needs a signed-in guest and a published listing", async () => {
    const id = await newListing({ status: "draft" });
    expectStatus(await t.call(routes.createBooking, { body: stay(id, "2026-07-01", "2026-07-03") }), 401);
    expectStatus(await book(guest.accessToken, stay(id, "2026-07-01", "2026-07-03")), 404);
  });
});

describe("the lifecycle", () => {
  let listingId: string;
  beforeEach(async () => {
    listingId = await newListing({ cancellationPolicy: "flexible" });
  });

  const act = (route: typeof routes.acceptBooking, token: string, id: string) =>
    t.call(route, { token, params: { id } });

  it("accept → pending_payment; payment → confirmed; guest cancels early: full refund", async () => {
    const b = await booked(guest.accessToken, stay(listingId, "2026-07-01", "2026-07-04"));
    expectStatus(await act(routes.acceptBooking, guest.accessToken, b.id), 403);
    expectStatus(await act(routes.acceptBooking, stranger.accessToken, b.id), 404);
    const accepted = await act(routes.acceptBooking, host.accessToken, b.id);
    expectStatus(accepted, 200);
    expect(accepted.body.status).toBe("pending_payment");
    const again = await act(routes.acceptBooking, host.accessToken, b.id);
    expectStatus(again, 409);
    expect(again.body.code).toBe("INVALID_STATE");
    const paid = await confirmPayment({ ctx: ctx(), input: { bookingId: b.id, reference: "pi_1" } });
    expect(paid.status).toBe("confirmed");
    expect((await confirmPayment({ ctx: ctx(), input: { bookingId: b.id, reference: "pi_1" } })).status).toBe(
      "confirmed",
    );
    const cancelled = await t.call(routes.cancelBooking, {
      token: guest.accessToken,
      params: { id: b.id },
      body: { reason: "Plans changed" },
    });
    expectStatus(cancelled, 200);
    expect(cancelled.body).toMatchObject({
      status: "cancelled",
      cancelledBy: "guest",
      refundDue: b.quote.total,
    });
    // The nights are free again.
    await booked(stranger.accessToken, stay(listingId, "2026-07-01", "2026-07-04"));
    const history = await db()
      .select()
      .from(bookingEvents)
      .where(eq(bookingEvents.bookingId, b.id))
      .orderBy(bookingEvents.at);
    expect(history.map((e) => [e.fromStatus, e.toStatus])).toEqual([
      [null, "requested"],
      ["requested", "pending_payment"],
      ["pending_payment", "confirmed"],
      ["confirmed", "cancelled"],
    ]);
  });

  it("a request paid before the host answers is confirmed by accepting it", async () => {
    const b = await booked(guest.accessToken, stay(listingId, "2026-07-01", "2026-07-04"));
    expect((await confirmPayment({ ctx: ctx(), input: { bookingId: b.id, reference: "pi_2" } })).status).toBe(
      "requested",
    );
    const accepted = await act(routes.acceptBooking, host.accessToken, b.id);
    expectStatus(accepted, 200);
    expect(accepted.body.status).toBe("confirmed");
  });

  it("decline frees the dates; a host's cancellation refunds in full", async () => {
    const b = await booked(guest.accessToken, stay(listingId, "2026-07-01", "2026-07-04"));
    expectStatus(await t.call(routes.declineBooking, { token: host.accessToken, params: { id: b.id } }), 200);
    expectStatus(await t.call(routes.cancelBooking, { token: guest.accessToken, params: { id: b.id } }), 409);
    const next = await booked(stranger.accessToken, stay(listingId, "2026-07-01", "2026-07-04"));
    await act(routes.acceptBooking, host.accessToken, next.id);
    await confirmPayment({ ctx: ctx(), input: { bookingId: next.id, reference: "pi_3" } });
    const cancelled = await t.call(routes.cancelBooking, {
      token: host.accessToken,
      params: { id: next.id },
    });
    expectStatus(cancelled, 200);
    expect(cancelled.body).toMatchObject({ cancelledBy: "host", refundDue: next.quote.total });
  });

  it("is visible to its guest and host only", async () => {
    const b = await booked(guest.accessToken, stay(listingId, "2026-07-01", "2026-07-04"));
    expectStatus(await t.call(routes.getBooking, { token: host.accessToken, params: { id: b.id } }), 200);
    expectStatus(await t.call(routes.getBooking, { token: stranger.accessToken, params: { id: b.id } }), 404);
    const mine = await t.call(routes.listBookings, { token: guest.accessToken, query: { limit: 100 } });
    expectStatus(mine, 200);
    expect(mine.body.items.map((i) => i.id)).toContain(b.id);
    const hosting = await t.call(routes.listBookings, {
      token: host.accessToken,
      query: { as: "host", listingId, status: "requested", from: "2026-07-03", to: "2026-07-04" },
    });
    expectStatus(hosting, 200);
    expect(hosting.body.items.map((i) => i.id)).toEqual([b.id]);
    const first = await t.call(routes.listBookings, { token: guest.accessToken, query: { limit: 1 } });
    expectStatus(first, 200);
    expect(first.body.items).toHaveLength(1);
    const second = await t.call(routes.listBookings, {
      token: guest.accessToken,
      query: { limit: 1, cursor: first.body.nextCursor ?? "" },
    });
    expectStatus(second, 200);
    expect(second.body.items[0]?.id).not.toBe(first.body.items[0]?.id);
    const forged = await t.call(routes.listBookings, {
      token: guest.accessToken,
      query: { cursor: "eyJ4IjoxfQ" },
    });
    expectStatus(forged, 400);
    const none = await t.call(routes.listBookings, {
      token: stranger.accessToken,
      query: { as: "host", listingId },
    });
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });
});

describe("a listing with upcoming stays", () => {
  it("cannot be unlisted or drafted until they are cancelled", async () => {
    const id = await newListing({ instantBook: true });
    const b = await booked(guest.accessToken, stay(id, "2026-07-01", "2026-07-04"));
    const unlisted = await t.call(listingRoutes.deleteListing, { token: host.accessToken, params: { id } });
    expectStatus(unlisted, 409);
    const drafted = await t.call(listingRoutes.updateListing, {
      token: host.accessToken,
      params: { id },
      body: { status: "draft" },
    });
    expectStatus(drafted, 409);
    expect(drafted.body.errors?.map((e) => e.location)).toEqual(["body.status"]);
    expectStatus(await t.call(routes.cancelBooking, { token: guest.accessToken, params: { id: b.id } }), 200);
    expectStatus(await t.call(listingRoutes.deleteListing, { token: host.accessToken, params: { id } }), 204);
  });
});

// Last: it moves the clock past every access token's expiry.
describe("time moves bookings on", () => {
  it("expires unpaid holds and unanswered requests, and completes stays after check-out", async () => {
    const instant = await newListing({ instantBook: true });
    const request = await newListing();
    const unpaid = await booked(guest.accessToken, stay(instant, "2026-06-10", "2026-06-12"));
    const unanswered = await booked(guest.accessToken, stay(request, "2026-06-10", "2026-06-12"));
    const stayed = await booked(guest.accessToken, stay(instant, "2026-06-03", "2026-06-05"));
    await confirmPayment({ ctx: ctx(), input: { bookingId: stayed.id, reference: "pi_4" } });
    // New York leaves daylight time at 02:00 on 2026-11-01: check-out at 11:00 is 16:00 UTC then.
    const newYork = await newListing({
      instantBook: true,
      timezone: "America/New_York",
      location: { lat: 40.73, lng: -73.99 },
    });
    const overDst = await booked(guest.accessToken, stay(newYork, "2026-10-30", "2026-11-01"));
    await confirmPayment({ ctx: ctx(), input: { bookingId: overDst.id, reference: "pi_5" } });
    const statusOf = async (id: string) =>
      (await db().select().from(bookings).where(eq(bookings.id, id)))[0]?.status;
    // The tick skips a booking a job holds (its payment step, its mails): let those finish first.
    const tick = async () => {
      await t.deps.drainJobs();
      await scheduledTick(t.deps);
    };

    clock.advance(16 * 60_000);
    await Promise.all([scheduledTick(t.deps), scheduledTick(t.deps)]);
    expect(await statusOf(unpaid.id)).toBe("expired");
    expect(await statusOf(unanswered.id)).toBe("requested");

    clock.advance(24 * HOUR);
    // Run out, not yet expired by the tick: no longer the host's to accept.
    const hostCtx = { ...ctx(), actor: { userId: host.id, sessionId: "s", isAdmin: false } };
    await expect(acceptBooking({ ctx: hostCtx, input: { id: unanswered.id } })).rejects.toMatchObject({
      code: "INVALID_STATE",
    });
    await tick();
    expect(await statusOf(unanswered.id)).toBe("expired");
    expect(await statusOf(stayed.id)).toBe("confirmed");

    // Check-out is 11:00 in Paris (09:00 UTC) on 2026-06-05.
    clock.advance(new Date("2026-06-05T08:59:00Z").getTime() - clock.now().getTime());
    await tick();
    expect(await statusOf(stayed.id)).toBe("confirmed");
    clock.advance(60_000);
    await tick();
    expect(await statusOf(stayed.id)).toBe("completed");

    clock.advance(new Date("2026-11-01T15:59:00Z").getTime() - clock.now().getTime());
    await tick();
    expect(await statusOf(overDst.id)).toBe("confirmed");
    clock.advance(60_000);
    await tick();
    expect(await statusOf(overDst.id)).toBe("completed");
  });
});
