import { eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bookings, listings, reviews } from "../../src/db/schema/index.ts";
import type { Quote } from "../../src/domain/bookings/booking-schemas.ts";
import { addDays, localDate, zonedInstant } from "../../src/domain/bookings/local-time.ts";
import { publishDueReviews } from "../../src/domain/reviews/publish-due-reviews.ts";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import * as routes from "../../src/routes/reviews/reviews.routes.ts";
import { expectStatus } from "../support/api.ts";
import { type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { insertListing } from "../support/factories.ts";
import { type SignedInGuest, signInGuests } from "../support/payment-harness.ts";
import { expectReviewInvariants } from "../support/review-invariants.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";
import { engine } from "../support/test-database.ts";

/**
 * Issue 15: the guest and the host reviewing the same stay at the same moment, on real PostgreSQL
 * (PGlite runs one transaction at a time and would hide every race here). Each stay must be
 * revealed exactly once: both reviews published at one instant, the listing counted once.
 */

const STAYS = 20;
/** Check-outs 1, 3, … 13 days ago: seven stays a listing, all inside their review window. */
const STAYS_PER_LISTING = 7;
const PASSWORD = "review racers share this password";
// The clock stands still, so access tokens stay valid.
const clock = manualClock(new Date("2026-06-01T12:00:00Z"));

const categories = { cleanliness: 5, accuracy: 4, checkIn: 5, communication: 4, location: 3, value: 4 };

describe.skipIf(engine !== "postgres")("both sides reviewing at once (PostgreSQL)", () => {
  let t: TestApp;
  let host: SignedUpUser;
  let guests: SignedInGuest[];
  let quote: Quote;
  const db = () => t.db.database.connect().db;

  beforeAll(async () => {
    t = await createTestApp({ deps: { clock } });
    host = await signUp(t);
    guests = await signInGuests(t, STAYS, PASSWORD);
    const listing = await insertListing(db(), { hostId: host.id });
    const quoted = await t.call(bookingRoutes.quoteBooking, {
      body: { listingId: listing.id, checkIn: "2026-07-01", checkOut: "2026-07-03", guests: 2 },
    });
    expectStatus(quoted, 200);
    quote = quoted.body;
  });
  afterEach(() => expectReviewInvariants(db()));
  afterAll(() => t?.close());

  /** `STAYS` completed stays of the host's, one per guest, spread over as few listings as fit. */
  async function completedStays() {
    const made: { id: string; listingId: string; guest: SignedInGuest; checkOut: string }[] = [];
    let listingId = "";
    for (const [i, guest] of guests.entries()) {
      const slot = i % STAYS_PER_LISTING;
      if (slot === 0) listingId = (await insertListing(db(), { hostId: host.id })).id;
      const checkOut = addDays(localDate(clock.now(), "Europe/Paris"), -(1 + 2 * slot));
      const id = crypto.randomUUID();
      await db()
        .insert(bookings)
        .values({
          id,
          listingId,
          guestId: guest.id,
          hostId: host.id,
          checkIn: addDays(checkOut, -2),
          checkOut,
          guests: 2,
          status: "completed",
          quote,
          createdAt: clock.now(),
          updatedAt: clock.now(),
        });
      made.push({ id, listingId, guest, checkOut });
    }
    return made;
  }

  const guestReview = (token: string, bookingId: string, rating: number) =>
    t.call(routes.createReview, {
      token,
      params: { id: bookingId },
      body: { rating, comment: "Lovely.", categories },
    });
  const hostReview = (bookingId: string) =>
    t.call(routes.createReview, {
      token: host.accessToken,
      params: { id: bookingId },
      body: { rating: 4, comment: "Tidy guest.", wouldHostAgain: true },
    });

  const countsOf = async (ids: string[]) =>
    new Map(
      (await db().select().from(listings).where(inArray(listings.id, ids))).map((l) => [
        l.id,
        { count: l.ratingCount, sum: l.ratingSum },
      ]),
    );

  /** The request log lines of POST …/reviews written since `from`: none a 5xx or a deadlock. */
  function expectCleanLog(from: number, requests: number) {
    const logged = t.logger.lines
      .slice(from)
      .filter(
        (line) =>
          line.message === "request" && line.method === "POST" && /\/reviews$/.test(String(line.path)),
      );
    expect(logged).toHaveLength(requests);
    expect(logged.filter((line) => Number(line.status) >= 500)).toEqual([]);
    expect(logged.filter((line) => line.sqlState === "40P01")).toEqual([]);
  }

  it(`reveals each of ${STAYS} stays exactly once when guest and host review at the same moment`, async () => {
    const stays = await completedStays();
    const listingIds = [...new Set(stays.map((s) => s.listingId))];
    const before = await countsOf(listingIds);
    const from = t.logger.lines.length;

    // Every review of every stay at once: the two sides of a stay race, and so do the stays of a listing.
    const answers = await Promise.all(
      stays.map(async (stay, i) => {
        const [guestSide, hostSide] = await Promise.all([
          guestReview(stay.guest.token, stay.id, 1 + (i % 5)),
          hostReview(stay.id),
        ]);
        return { stay, guestSide, hostSide };
      }),
    );
    expectCleanLog(from, 2 * STAYS);

    for (const { stay, guestSide, hostSide } of answers) {
      expectStatus(guestSide, 201);
      expectStatus(hostSide, 201);
      // Whoever came second revealed both: one answer pending, the other published.
      expect([guestSide.body.status, hostSide.body.status].sort(), stay.id).toEqual(["pending", "published"]);
      const rows = await db().select().from(reviews).where(eq(reviews.bookingId, stay.id));
      expect(rows, stay.id).toHaveLength(2);
      expect(rows.map((r) => r.status)).toEqual(["published", "published"]);
      const [a, b] = rows;
      expect(a?.publishedAt).toBeInstanceOf(Date);
      expect(a?.publishedAt?.getTime(), stay.id).toBe(b?.publishedAt?.getTime());
    }

    // Each listing counted each of its stays' guest reviews once, with the stars they gave.
    const after = await countsOf(listingIds);
    for (const id of listingIds) {
      const mine = answers.filter((a) => a.stay.listingId === id);
      const stars = mine.reduce(
        (sum, a) => sum + (a.guestSide.status === 201 ? a.guestSide.body.rating : 0),
        0,
      );
      expect(after.get(id), id).toEqual({
        count: (before.get(id)?.count ?? 0) + mine.length,
        sum: (before.get(id)?.sum ?? 0) + stars,
      });
    }
  });

  it("keeps one review per side when a side sends its review twice at once", async () => {
    const stays = (await completedStays()).slice(0, 5);
    const from = t.logger.lines.length;
    const answers = await Promise.all(
      stays.map((stay) =>
        Promise.all([
          guestReview(stay.guest.token, stay.id, 5),
          guestReview(stay.guest.token, stay.id, 4),
          hostReview(stay.id),
          hostReview(stay.id),
        ]),
      ),
    );
    expectCleanLog(from, 4 * stays.length);
    for (const [i, four] of answers.entries()) {
      const verdicts = four.map((a) => (a.status === 409 ? `409 ${a.body.code}` : String(a.status)));
      expect(
        verdicts.filter((v) => v === "201"),
        verdicts.join(", "),
      ).toHaveLength(2);
      expect(verdicts.filter((v) => v !== "201")).toEqual(["409 CONFLICT", "409 CONFLICT"]);
      const rows = await db()
        .select()
        .from(reviews)
        .where(eq(reviews.bookingId, stays[i]?.id ?? ""));
      expect(rows.map((r) => `${r.side} ${r.status}`).sort()).toEqual(["guest published", "host published"]);
    }
  });

  it("counts a stay once when the tick closing its window races the second review", async () => {
    const stays = (await completedStays()).slice(0, STAYS_PER_LISTING);
    for (const stay of stays) expectStatus(await guestReview(stay.guest.token, stay.id, 3), 201);
    const listingId = stays[0]?.listingId ?? "";
    const before = await countsOf([listingId]);
    // The tick runs at the windows' close, as if its clock were a little ahead of the app's.
    const latest =
      stays
        .map((s) => s.checkOut)
        .sort()
        .at(-1) ?? "";
    const closes = zonedInstant(addDays(latest, 14), "11:00", "Europe/Paris");
    const tickDeps = { ...t.deps, clock: { now: () => closes } };
    await Promise.all([
      ...stays.map((stay) => hostReview(stay.id)),
      publishDueReviews({ ctx: { db: db(), deps: tickDeps } }),
    ]);
    // Whatever the order, a second tick leaves nothing pending and nothing counted twice.
    await publishDueReviews({ ctx: { db: db(), deps: tickDeps } });
    const rows = await db()
      .select()
      .from(reviews)
      .where(
        inArray(
          reviews.bookingId,
          stays.map((s) => s.id),
        ),
      );
    expect(rows.map((r) => r.status)).toEqual(Array(2 * stays.length).fill("published"));
    expect((await countsOf([listingId])).get(listingId)).toEqual({
      count: (before.get(listingId)?.count ?? 0) + stays.length,
      sum: (before.get(listingId)?.sum ?? 0) + 3 * stays.length,
    });
  });
});
