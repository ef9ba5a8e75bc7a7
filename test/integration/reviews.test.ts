import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bookings, listings, reviews } from "../../src/db/schema/index.ts";
import type { Quote } from "../../src/domain/bookings/booking-schemas.ts";
import { addDays, localDate, zonedInstant } from "../../src/domain/bookings/local-time.ts";
import { scheduledTick } from "../../src/jobs.ts";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import * as listingRoutes from "../../src/routes/listings/listings.routes.ts";
import * as paymentRoutes from "../../src/routes/payments/payments.routes.ts";
import * as routes from "../../src/routes/reviews/reviews.routes.ts";
import * as userRoutes from "../../src/routes/users/users.routes.ts";
import { expectStatus } from "../support/api.ts";
import { renewTokens, type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { createListing, type NewListing } from "../support/listing-factory.ts";
import {
  expectedUserRatings,
  expectReviewInvariants,
  reviewInvariantBreaches,
} from "../support/review-invariants.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

/**
 * Issue 15: reviews after the stay, double-blind, with replies and ratings that always equal a
 * recount of the published reviews (asked of the whole database after every test).
 *
 * One clock for the file, moved forward only (tokens are renewed on every move). Most stays are
 * written straight into `bookings` as `completed`, with a quote the API gave: what is under test
 * is reviewing them. One test walks a stay to `completed` through the API and the tick.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const ADMIN_EMAIL = "reviews-admin@example.com";
const clock = manualClock(new Date("2026-06-01T12:00:00Z"));
let t: TestApp;
let host: SignedUpUser;
let guest: SignedUpUser;
let stranger: SignedUpUser;
let admin: SignedUpUser;
let quote: Quote;
/** Everyone whose tokens follow the clock. */
const people: SignedUpUser[] = [];

const db = () => t.db.database.connect().db;

async function person(email?: string): Promise<SignedUpUser> {
  const user = await signUp(t, email === undefined ? {} : { email });
  people.push(user);
  return user;
}

beforeAll(async () => {
  t = await createTestApp({ env: { ADMIN_EMAIL }, deps: { clock } });
  [host, guest, stranger, admin] = await Promise.all([person(), person(), person(), person(ADMIN_EMAIL)]);
  const { id } = await createListing(t, host.accessToken);
  const quoted = await t.call(bookingRoutes.quoteBooking, {
    body: { listingId: id, checkIn: "2026-07-01", checkOut: "2026-07-03", guests: 2 },
  });
  expectStatus(quoted, 200);
  quote = quoted.body;
});
afterEach(() => expectReviewInvariants(db()));
afterAll(() => t?.close());

/** Moves the clock forward to `at` (never back), a week at most between token renewals. */
async function moveTo(at: Date) {
  const target = at.getTime();
  if (target < clock.now().getTime()) {
    throw new Error(
      `the clock only moves forward: it is ${clock.now().toISOString()}, not ${at.toISOString()}`,
    );
  }
  while (clock.now().getTime() < target) {
    clock.advance(Math.min(7 * DAY, target - clock.now().getTime()));
    await renewTokens(t, ...people);
  }
}
const moveBy = (ms: number) => moveTo(new Date(clock.now().getTime() + ms));

interface TestListing {
  id: string;
  hostId: string;
  timezone: string;
  checkOutTime: string;
}

async function newListing(owner = host, overrides: Partial<NewListing> = {}): Promise<TestListing> {
  const { body } = await createListing(t, owner.accessToken, overrides);
  return { id: body.id, hostId: body.hostId, timezone: body.timezone, checkOutTime: body.checkOutTime };
}

/**
 * A stay of `by` at `listing` that has ended: `completed`, checked out `daysAgo` days before the
 * listing's today (at least 1, so its check-out time has surely passed). Stays at one listing
 * need check-outs at least two days apart.
 */
async function pastStay(
  listing: TestListing,
  by: SignedUpUser,
  { daysAgo = 1, checkOut }: { daysAgo?: number; checkOut?: string } = {},
) {
  const out = checkOut ?? addDays(localDate(clock.now(), listing.timezone), -daysAgo);
  const now = clock.now();
  const [row] = await db()
    .insert(bookings)
    .values({
      id: crypto.randomUUID(),
      listingId: listing.id,
      guestId: by.id,
      hostId: listing.hostId,
      checkIn: addDays(out, -2),
      checkOut: out,
      guests: 2,
      status: "completed",
      quote,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error("no booking row");
  return {
    ...row,
    windowCloses: zonedInstant(addDays(out, 14), listing.checkOutTime, listing.timezone),
  };
}

const categories = { cleanliness: 5, accuracy: 4, checkIn: 5, communication: 5, location: 4, value: 3 };
const guestReview = (overrides: Record<string, unknown> = {}) => ({
  rating: 5,
  comment: "Spotless flat, warm welcome.",
  categories,
  privateNote: "The shower drain is slow.",
  ...overrides,
});
const hostReview = (overrides: Record<string, unknown> = {}) => ({
  rating: 4,
  comment: "A tidy, quiet guest.",
  wouldHostAgain: true,
  ...overrides,
});

type ReviewBody = ReturnType<typeof guestReview> | ReturnType<typeof hostReview>;

const review = (by: SignedUpUser, bookingId: string, body: ReviewBody | Record<string, unknown>) =>
  t.call(routes.createReview, { token: by.accessToken, params: { id: bookingId }, invalidBody: body });

async function reviewed(by: SignedUpUser, bookingId: string, body: ReviewBody) {
  const answer = await review(by, bookingId, body);
  expectStatus(answer, 201);
  return answer.body;
}

/** A stay of `by` at `listing` that both sides reviewed, the host last: both published. */
async function revealed(
  listing: TestListing,
  by: SignedUpUser,
  body = guestReview(),
  daysAgo = 1,
  owner: SignedUpUser = host,
) {
  const stay = await pastStay(listing, by, { daysAgo });
  const guestSide = await reviewed(by, stay.id, body);
  const hostSide = await reviewed(owner, stay.id, hostReview());
  expect(hostSide.status).toBe("published");
  return { stay, guestSide, hostSide };
}

const getReview = (id: string, as?: SignedUpUser) =>
  t.call(routes.getReview, { params: { id }, ...(as && { token: as.accessToken }) });

async function listingPage(id: string) {
  const answer = await t.call(listingRoutes.getListing, { params: { id } });
  expectStatus(answer, 200);
  return answer.body;
}

async function listForListing(id: string, query: Record<string, string | number> = {}, as?: SignedUpUser) {
  const answer = await t.call(routes.listListingReviews, {
    params: { id },
    query,
    ...(as && { token: as.accessToken }),
  });
  expectStatus(answer, 200);
  return answer.body;
}

async function listForUser(id: string, as: "guest" | "host", query: Record<string, string | number> = {}) {
  const answer = await t.call(routes.listUserReviews, { params: { id }, query: { as, ...query } });
  expectStatus(answer, 200);
  return answer.body;
}

async function tick() {
  await scheduledTick(t.deps);
}

const reviewRows = (ids: string[]) => db().select().from(reviews).where(inArray(reviews.id, ids));
const listingRow = async (id: string) => (await db().select().from(listings).where(eq(listings.id, id)))[0];

describe("the review window, on the listing's wall clock", () => {
  it("closes 14 days after check-out at 11:00 Paris time across the October clock change", async () => {
    // Check-out 2026-10-20 11:00 CEST (09:00Z); fourteen days later it is CET: 2026-11-03 10:00Z,
    // not 09:00Z, which 14 × 24 hours after check-out would give.
    const listing = await newListing(host, { timezone: "Europe/Paris", checkOutTime: "11:00" });
    await moveTo(new Date("2026-10-20T09:00:00Z"));
    const stay = await pastStay(listing, guest, { checkOut: "2026-10-20" });

    await moveTo(new Date("2026-11-03T09:59:00Z"));
    const mine = await reviewed(guest, stay.id, guestReview());
    expect(mine.windowClosesAt).toBe("2026-11-03T10:00:00.000Z");

    await moveTo(new Date("2026-11-03T10:00:00Z"));
    const late = await review(host, stay.id, hostReview());
    expectStatus(late, 409);
    expect(late.body.code).toBe("INVALID_STATE");
    expect(late.body.detail).toContain("2026-11-03T10:00:00.000Z");
  });

  it("takes a review in the window's last minute and refuses one in its first minute out", async () => {
    // Tokyo keeps no daylight saving: 10:00 there is 01:00Z.
    const listing = await newListing(host, {
      timezone: "Asia/Tokyo",
      location: { lat: 35.68, lng: 139.76 },
      address: { line1: "1-1 Marunouchi", city: "Tokyo", country: "JP" },
      currency: "JPY",
      checkOutTime: "10:00",
    });
    const stay = await pastStay(listing, guest);
    const lastDay = addDays(stay.checkOut, 14);
    expect(stay.windowCloses.toISOString()).toBe(`${lastDay}T01:00:00.000Z`);

    await moveTo(new Date(stay.windowCloses.getTime() - MINUTE));
    const inTime = await reviewed(guest, stay.id, guestReview());
    expect(inTime).toMatchObject({ status: "pending", windowClosesAt: `${lastDay}T01:00:00.000Z` });

    await moveTo(stay.windowCloses);
    const late = await review(host, stay.id, hostReview());
    expectStatus(late, 409);
    expect(late.body.code).toBe("INVALID_STATE");
    await moveBy(MINUTE - 1);
    expectStatus(await review(host, stay.id, hostReview()), 409);
  });

  it("stays where the first review found it, though the host moves the listing's check-out time", async () => {
    const listing = await newListing(host, { checkOutTime: "10:00" });
    const stay = await pastStay(listing, guest);
    await reviewed(guest, stay.id, guestReview({ rating: 1, comment: "Dirty." }));
    await moveTo(stay.windowCloses);
    await tick();
    const published = await listForListing(listing.id);
    expect(published.items.map((r) => r.comment)).toEqual(["Dirty."]);

    // Having read it, the host moves check-out to 23:00 to open a window of their own.
    const moved = await t.call(listingRoutes.updateListing, {
      token: host.accessToken,
      params: { id: listing.id },
      body: { checkOutTime: "23:00" },
    });
    expectStatus(moved, 200);
    await moveBy(MINUTE);
    const retaliation = await review(host, stay.id, hostReview({ rating: 1, wouldHostAgain: false }));
    expectStatus(retaliation, 409);
    expect(retaliation.body.code).toBe("INVALID_STATE");
  });
});

describe("POST /v1/bookings/{id}/reviews", () => {
  it("takes the guest's review of the stay with its categories and private note, pending", async () => {
    const listing = await newListing();
    const stay = await pastStay(listing, guest);
    const answer = await review(guest, stay.id, guestReview());
    expectStatus(answer, 201);
    expect(answer.body).toMatchObject({
      bookingId: stay.id,
      listingId: listing.id,
      side: "guest",
      authorId: guest.id,
      subjectId: host.id,
      status: "pending",
      rating: 5,
      categories,
      comment: "Spotless flat, warm welcome.",
      privateNote: "The shower drain is slow.",
      wouldHostAgain: null,
      reply: null,
      hiddenReason: null,
      publishedAt: null,
      windowClosesAt: stay.windowCloses.toISOString(),
      createdAt: clock.now().toISOString(),
    });
    // Pending: not in the listing's rating yet.
    expect((await listingPage(listing.id)).rating.count).toBe(0);
  });

  it("takes the host's review of the guest with whether they would host them again", async () => {
    const listing = await newListing();
    const stay = await pastStay(listing, guest);
    const answer = await review(host, stay.id, hostReview({ wouldHostAgain: false }));
    expectStatus(answer, 201);
    expect(answer.body).toMatchObject({
      side: "host",
      authorId: host.id,
      subjectId: guest.id,
      status: "pending",
      rating: 4,
      categories: null,
      privateNote: null,
      wouldHostAgain: false,
    });
  });

  it.each([
    ["the host sending categories", "host", hostReview({ categories }), "body.categories"],
    ["the host sending a private note", "host", hostReview({ privateNote: "psst" }), "body.privateNote"],
    [
      "the host not saying whether they would host again",
      "host",
      { rating: 4, comment: "ok" },
      "body.wouldHostAgain",
    ],
    ["the guest without categories", "guest", { rating: 5, comment: "Nice" }, "body.categories"],
    [
      "the guest saying whether they would host",
      "guest",
      guestReview({ wouldHostAgain: true }),
      "body.wouldHostAgain",
    ],
    ["a rating of 6", "guest", guestReview({ rating: 6 }), "body.rating"],
    [
      "a category of 0",
      "guest",
      guestReview({ categories: { ...categories, value: 0 } }),
      "body.categories.value",
    ],
    [
      "a category left out",
      "guest",
      guestReview({ categories: { ...categories, value: undefined } }),
      "body.categories.value",
    ],
  ] as const)("refuses %s with 400 naming the field", async (_, side, body, location) => {
    const stay = await pastStay(await newListing(), guest);
    const answer = await review(side === "host" ? host : guest, stay.id, body);
    expectStatus(answer, 400);
    expect(answer.body.errors?.map((e) => e.location)).toEqual([location]);
  });

  it("reviews only completed stays: 409 INVALID_STATE while confirmed, 201 once the tick completes it", async () => {
    const listing = await newListing(host, { instantBook: true });
    const checkIn = addDays(localDate(clock.now(), listing.timezone), 3);
    const booked = await t.call(bookingRoutes.createBooking, {
      token: guest.accessToken,
      body: { listingId: listing.id, checkIn, checkOut: addDays(checkIn, 2), guests: 2 },
    });
    expectStatus(booked, 201);
    const paid = await t.call(paymentRoutes.simulatePayment, {
      token: guest.accessToken,
      params: { id: booked.body.id },
      body: { outcome: "succeed" },
    });
    expectStatus(paid, 200);

    const early = await review(guest, booked.body.id, guestReview());
    expectStatus(early, 409);
    expect(early.body.code).toBe("INVALID_STATE");

    // One minute after check-out time where the listing is, the tick ends the stay.
    await moveTo(
      new Date(zonedInstant(addDays(checkIn, 2), listing.checkOutTime, listing.timezone).getTime() + MINUTE),
    );
    await tick();
    const read = await t.call(bookingRoutes.getBooking, {
      token: guest.accessToken,
      params: { id: booked.body.id },
    });
    expectStatus(read, 200);
    expect(read.body.status).toBe("completed");
    expect((await reviewed(guest, booked.body.id, guestReview())).status).toBe("pending");
  });

  it("answers 404 to anyone not part of the stay, and for a booking that does not exist", async () => {
    const stay = await pastStay(await newListing(), guest);
    for (const outsider of [stranger, admin]) {
      const answer = await review(outsider, stay.id, guestReview());
      expectStatus(answer, 404);
      expect(answer.body.code).toBe("NOT_FOUND");
    }
    expectStatus(await review(guest, crypto.randomUUID(), guestReview()), 404);
    expect(await db().select().from(reviews).where(eq(reviews.bookingId, stay.id))).toEqual([]);
  });

  it("refuses a second review from the same side with 409 CONFLICT, pending or published", async () => {
    const listing = await newListing();
    const stay = await pastStay(listing, guest);
    await reviewed(guest, stay.id, guestReview());
    const again = await review(guest, stay.id, guestReview({ rating: 1 }));
    expectStatus(again, 409);
    expect(again.body.code).toBe("CONFLICT");
    await reviewed(host, stay.id, hostReview());
    const afterReveal = await review(host, stay.id, hostReview());
    expectStatus(afterReveal, 409);
    expect(afterReveal.body.code).toBe("CONFLICT");
    expect((await listingPage(listing.id)).rating).toMatchObject({ count: 1, average: 5 });
  });
});

describe("double-blind", () => {
  it("hides a pending review from the other side and everyone else, and shows it to its author", async () => {
    const listing = await newListing();
    const stay = await pastStay(listing, guest);
    const mine = await reviewed(guest, stay.id, guestReview());

    for (const viewer of [host, stranger, undefined]) {
      const answer = await getReview(mine.id, viewer);
      expectStatus(answer, 404, viewer?.email ?? "anonymous");
    }
    const own = await getReview(mine.id, guest);
    expectStatus(own, 200);
    expect(own.body).toMatchObject({ status: "pending", comment: mine.comment });

    expect((await listForListing(listing.id)).items).toEqual([]);
    expect((await listForListing(listing.id, {}, host)).items).toEqual([]);
    expect((await listForUser(host.id, "host")).items.map((r) => r.id)).not.toContain(mine.id);
    // Nor can the host change it.
    const edit = await t.call(routes.updateReview, {
      token: host.accessToken,
      params: { id: mine.id },
      body: { rating: 1 },
    });
    expectStatus(edit, 404);
  });

  it("reveals both reviews at once when the second side reviews", async () => {
    const listing = await newListing();
    const stay = await pastStay(listing, guest);
    const first = await reviewed(guest, stay.id, guestReview({ rating: 4 }));
    await moveBy(5 * MINUTE);
    const second = await reviewed(host, stay.id, hostReview());
    const at = clock.now().toISOString();
    expect(second).toMatchObject({ status: "published", publishedAt: at });

    const seen = await getReview(first.id, host);
    expectStatus(seen, 200);
    expect(seen.body).toMatchObject({ status: "published", publishedAt: at, rating: 4 });
    const rows = await reviewRows([first.id, second.id]);
    expect(rows.map((r) => [r.status, r.publishedAt?.toISOString()])).toEqual([
      ["published", at],
      ["published", at],
    ]);
    // Only the guest's review rates the listing.
    expect((await listingPage(listing.id)).rating).toMatchObject({ count: 1, average: 4 });
    expect((await listForListing(listing.id)).items.map((r) => r.id)).toEqual([first.id]);
    expect((await listForUser(guest.id, "guest")).items.map((r) => r.id)).toContain(second.id);
  });

  it("publishes a lone review when the window closes, on time, and a second tick changes nothing", async () => {
    const listing = await newListing();
    const stay = await pastStay(listing, guest);
    const lone = await reviewed(guest, stay.id, guestReview({ rating: 3 }));

    await moveTo(new Date(stay.windowCloses.getTime() - MINUTE));
    await tick();
    expect((await reviewRows([lone.id]))[0]?.status).toBe("pending");
    expectStatus(await getReview(lone.id, host), 404);

    await moveTo(stay.windowCloses);
    await tick();
    const seen = await getReview(lone.id, host);
    expectStatus(seen, 200);
    expect(seen.body).toMatchObject({ status: "published", publishedAt: stay.windowCloses.toISOString() });
    expect((await listingPage(listing.id)).rating).toMatchObject({ count: 1, average: 3 });

    const before = { rows: await reviewRows([lone.id]), listing: await listingRow(listing.id) };
    await moveBy(MINUTE);
    await tick();
    expect({ rows: await reviewRows([lone.id]), listing: await listingRow(listing.id) }).toEqual(before);
    // The window is closed to the host now.
    expectStatus(await review(host, stay.id, hostReview()), 409);
  });
});

describe("PATCH /v1/reviews/{id}", () => {
  it("lets the author edit a pending review, and what is published is the edited one", async () => {
    const listing = await newListing();
    const stay = await pastStay(listing, guest);
    const mine = await reviewed(guest, stay.id, guestReview());
    await moveBy(MINUTE);
    const changed = { ...categories, cleanliness: 2 };
    const edit = await t.call(routes.updateReview, {
      token: guest.accessToken,
      params: { id: mine.id },
      body: { rating: 2, comment: "On second thought: dusty.", categories: changed },
    });
    expectStatus(edit, 200);
    expect(edit.body).toMatchObject({
      status: "pending",
      rating: 2,
      comment: "On second thought: dusty.",
      categories: changed,
      privateNote: mine.privateNote,
      updatedAt: clock.now().toISOString(),
    });
    const wrongSide = await t.call(routes.updateReview, {
      token: guest.accessToken,
      params: { id: mine.id },
      invalidBody: { wouldHostAgain: true },
    });
    expectStatus(wrongSide, 400);
    expect(wrongSide.body.errors?.map((e) => e.location)).toEqual(["body.wouldHostAgain"]);
    expectStatus(
      await t.call(routes.updateReview, {
        token: stranger.accessToken,
        params: { id: mine.id },
        body: { rating: 5 },
      }),
      404,
    );

    await reviewed(host, stay.id, hostReview());
    expect((await listingPage(listing.id)).rating).toMatchObject({
      count: 1,
      average: 2,
      categories: { cleanliness: 2, value: 3 },
    });
  });

  it("refuses to edit a review whose window closed, before the tick publishes it", async () => {
    const stay = await pastStay(await newListing(), guest);
    const pending = await reviewed(guest, stay.id, guestReview());
    await moveTo(new Date(pending.windowClosesAt));
    const edit = await t.call(routes.updateReview, {
      token: guest.accessToken,
      params: { id: pending.id },
      body: { rating: 1 },
    });
    expectStatus(edit, 409);
    expect(edit.body.code).toBe("INVALID_STATE");
    expect((await reviewRows([pending.id]))[0]).toMatchObject({ status: "pending", rating: 5 });
  });

  it("refuses to edit a published review with 409 INVALID_STATE", async () => {
    const { guestSide, hostSide } = await revealed(await newListing(), guest);
    for (const [by, id] of [
      [guest, guestSide.id],
      [host, hostSide.id],
    ] as const) {
      const edit = await t.call(routes.updateReview, {
        token: by.accessToken,
        params: { id },
        body: { rating: 1 },
      });
      expectStatus(edit, 409);
      expect(edit.body.code).toBe("INVALID_STATE");
    }
    expect((await reviewRows([guestSide.id]))[0]?.rating).toBe(5);
  });
});

describe("POST /v1/reviews/{id}/reply", () => {
  const reply = (by: SignedUpUser, id: string, text: string) =>
    t.call(routes.replyToReview, { token: by.accessToken, params: { id }, body: { text } });

  it("lets the host answer a published guest review once", async () => {
    const { guestSide, hostSide } = await revealed(await newListing(), guest);
    const answered = await reply(host, guestSide.id, "Thank you, come back soon!");
    expectStatus(answered, 200);
    expect(answered.body.reply).toEqual({
      text: "Thank you, come back soon!",
      at: clock.now().toISOString(),
    });
    const publicly = await getReview(guestSide.id);
    expectStatus(publicly, 200);
    expect(publicly.body.reply?.text).toBe("Thank you, come back soon!");

    const twice = await reply(host, guestSide.id, "And again!");
    expectStatus(twice, 409);
    expect(twice.body.code).toBe("CONFLICT");
    for (const other of [guest, stranger]) {
      const answer = await reply(other, guestSide.id, "Me too");
      expectStatus(answer, 403, other.email);
    }
    // The host's review of the guest takes no answer, not even from the guest.
    expectStatus(await reply(guest, hostSide.id, "Unfair!"), 403);
  });

  it("counts the answer's 500 characters as characters: 500 emoji pass, 501 letters do not", async () => {
    const { guestSide } = await revealed(await newListing(), guest);
    const long = await reply(host, guestSide.id, "a".repeat(501));
    expectStatus(long, 400);
    expect(long.body.errors?.map((e) => e.location)).toEqual(["body.text"]);
    expectStatus(await reply(host, guestSide.id, "   "), 400);

    // 500 code points, 1,000 UTF-16 units, 2,000 bytes.
    const emoji = "😀".repeat(500);
    const answered = await reply(host, guestSide.id, emoji);
    expectStatus(answered, 200);
    expect((await reviewRows([guestSide.id]))[0]?.reply).toBe(emoji);
  });

  it("is 404 before the review is published, to the host as to anyone: it is still blind", async () => {
    const stay = await pastStay(await newListing(), guest);
    const pending = await reviewed(guest, stay.id, guestReview());
    expectStatus(await reply(host, pending.id, "Thanks!"), 404);
    expectStatus(await reply(stranger, pending.id, "Thanks!"), 404);
    expectStatus(await reply(host, crypto.randomUUID(), "Thanks!"), 404);
  });
});

describe("review text", () => {
  it("counts the comment in characters: 1,000 emoji are taken, 1,001 refused", async () => {
    const listing = await newListing();
    const tooLong = await review(
      guest,
      (await pastStay(listing, guest)).id,
      guestReview({ comment: "😀".repeat(1001) }),
    );
    expectStatus(tooLong, 400);
    expect(tooLong.body.errors?.map((e) => e.location)).toEqual(["body.comment"]);
    const note = await review(
      guest,
      (await pastStay(listing, guest, { daysAgo: 3 })).id,
      guestReview({ privateNote: "é".repeat(1001) }),
    );
    expectStatus(note, 400);
    expect(note.body.errors?.map((e) => e.location)).toEqual(["body.privateNote"]);

    const fits = "😀".repeat(1000);
    const taken = await reviewed(
      guest,
      (await pastStay(listing, guest, { daysAgo: 5 })).id,
      guestReview({ comment: fits }),
    );
    expect(taken.comment).toBe(fits);
  });

  it("stores markup as given and never interprets it", async () => {
    const markup = `<script>alert("x")</script> &amp; <b>bold</b> ' " \\ ${"\u202e"}`;
    const stay = await pastStay(await newListing(), guest);
    const mine = await reviewed(guest, stay.id, guestReview({ comment: markup, privateNote: markup }));
    expect(mine.comment).toBe(markup);
    expect((await reviewRows([mine.id]))[0]).toMatchObject({ comment: markup, privateNote: markup });
    const read = await getReview(mine.id, guest);
    expectStatus(read, 200);
    expect(read.body.comment).toBe(markup);
  });

  it.each([
    ["a NUL character", "before\u0000after"],
    ["a lone surrogate", "before\ud800after"],
  ])("refuses %s in any review text with 400 naming the field", async (_, bad) => {
    const { guestSide } = await revealed(await newListing(), guest);
    const pending = await pastStay(await newListing(), guest);
    const answers = [
      ["body.comment", await review(guest, pending.id, guestReview({ comment: bad }))],
      ["body.privateNote", await review(guest, pending.id, guestReview({ privateNote: bad }))],
      [
        "body.text",
        await t.call(routes.replyToReview, {
          token: host.accessToken,
          params: { id: guestSide.id },
          body: { text: bad },
        }),
      ],
      [
        "body.comment",
        await t.call(routes.updateReview, {
          token: guest.accessToken,
          params: { id: guestSide.id },
          body: { comment: bad },
        }),
      ],
    ] as const;
    for (const [location, answer] of answers) {
      expectStatus(answer, 400, location);
      expect(answer.body.errors?.map((e) => e.location)).toEqual([location]);
    }
    expect(await db().select().from(reviews).where(eq(reviews.bookingId, pending.id))).toEqual([]);
  });
});

describe("GET /v1/listings/{id}/reviews", () => {
  it("lists published guest reviews newest first over keyset pages, with per-category averages", async () => {
    const listing = await newListing();
    const ratings = [
      {
        rating: 5,
        categories: { cleanliness: 5, accuracy: 5, checkIn: 5, communication: 5, location: 5, value: 5 },
      },
      {
        rating: 4,
        categories: { cleanliness: 4, accuracy: 3, checkIn: 5, communication: 4, location: 5, value: 4 },
      },
      {
        rating: 3,
        categories: { cleanliness: 3, accuracy: 4, checkIn: 2, communication: 5, location: 4, value: 3 },
      },
      {
        rating: 5,
        categories: { cleanliness: 5, accuracy: 5, checkIn: 4, communication: 5, location: 3, value: 4 },
      },
      {
        rating: 4,
        categories: { cleanliness: 2, accuracy: 4, checkIn: 5, communication: 3, location: 4, value: 5 },
      },
    ];
    const stays = [];
    for (const [i, r] of ratings.entries()) {
      const stay = await pastStay(listing, guest, { daysAgo: 1 + 2 * i });
      stays.push({ stay, guestSide: await reviewed(guest, stay.id, guestReview(r)) });
    }
    // One more stay reviewed by its guest only: pending, so not listed.
    const pendingStay = await pastStay(listing, stranger, { daysAgo: 11 });
    const pending = await reviewed(stranger, pendingStay.id, guestReview({ rating: 1 }));
    // Revealed in three moments; two pairs share their instant, so the id breaks the tie.
    for (const group of [[0, 1], [2], [3, 4]]) {
      await moveBy(MINUTE);
      for (const i of group) await reviewed(host, stays[i]?.stay.id ?? "", hostReview());
    }
    const published = await reviewRows(stays.map((s) => s.guestSide.id));
    const expected = published
      .sort(
        (a, b) => (b.publishedAt?.getTime() ?? 0) - (a.publishedAt?.getTime() ?? 0) || (a.id < b.id ? 1 : -1),
      )
      .map((r) => r.id);

    const seen: string[] = [];
    let cursor: string | undefined;
    const pageSizes: number[] = [];
    do {
      const page = await listForListing(listing.id, { limit: 2, ...(cursor && { cursor }) });
      pageSizes.push(page.items.length);
      seen.push(...page.items.map((r) => r.id));
      expect(page.items.every((r) => r.side === "guest" && r.status === "published")).toBe(true);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(expected);
    expect(seen).not.toContain(pending.id);

    const { summary } = await listForListing(listing.id);
    const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) * 100) / xs.length) / 100;
    expect(summary).toEqual({
      count: 5,
      average: 4.2,
      categories: {
        cleanliness: 3.8,
        accuracy: 4.2,
        checkIn: 4.2,
        communication: 4.4,
        location: 4.2,
        value: 4.2,
      },
    });
    expect(summary.categories.accuracy).toBe(mean(ratings.map((r) => r.categories.accuracy)));
    expect((await listingPage(listing.id)).rating).toEqual(summary);
  });

  it("is 404 for a listing that does not exist", async () => {
    expectStatus(await t.call(routes.listListingReviews, { params: { id: crypto.randomUUID() } }), 404);
  });
});

describe("reviews about a user, and their profile", () => {
  it("lists what hosts wrote of a guest and guests of a host, and users.get sums them up", async () => {
    const [hostA, hostB, traveller, other] = await Promise.all([person(), person(), person(), person()]);
    const a = await newListing(hostA);
    const b = await newListing(hostB);
    // traveller stays with both hosts; other with hostA. hostA also travels, to hostB.
    const stays = [
      [a, traveller, 5, 4],
      [b, traveller, 4, 2],
      [a, other, 2, 5],
      [b, hostA, 3, 5],
    ] as const;
    for (const [i, [listing, by, stars, hostStars]] of stays.entries()) {
      const stay = await pastStay(listing, by, { daysAgo: 1 + 2 * i });
      await reviewed(by, stay.id, guestReview({ rating: stars }));
      const owner = listing === a ? hostA : hostB;
      await reviewed(owner, stay.id, hostReview({ rating: hostStars }));
      await moveBy(MINUTE);
    }

    const asGuest = await listForUser(traveller.id, "guest");
    expect(asGuest.items.map((r) => [r.side, r.authorId, r.rating])).toEqual([
      ["host", hostB.id, 2],
      ["host", hostA.id, 4],
    ]);
    expect(asGuest.summary).toEqual({ count: 2, average: 3 });
    const asHost = await listForUser(hostA.id, "host");
    expect(asHost.items.map((r) => [r.side, r.authorId, r.rating])).toEqual([
      ["guest", other.id, 2],
      ["guest", traveller.id, 5],
    ]);
    expect(asHost.summary).toEqual({ count: 2, average: 3.5 });

    const expectations = {
      [traveller.id]: { asGuest: { count: 2, average: 3 }, asHost: { count: 0, average: null } },
      [hostA.id]: { asGuest: { count: 1, average: 5 }, asHost: { count: 2, average: 3.5 } },
      [hostB.id]: { asGuest: { count: 0, average: null }, asHost: { count: 2, average: 3.5 } },
      [other.id]: { asGuest: { count: 1, average: 5 }, asHost: { count: 0, average: null } },
    };
    for (const [id, wanted] of Object.entries(expectations)) {
      const profile = await t.call(userRoutes.getUser, { params: { id } });
      expectStatus(profile, 200);
      expect(profile.body.reviews).toEqual(wanted);
      expect(await expectedUserRatings(db(), id)).toEqual(wanted);
    }
  });
});

describe("the listing's rating", () => {
  it("shows on the listing's own page once published, though the page was cached before", async () => {
    const listing = await newListing();
    expect((await listingPage(listing.id)).rating).toEqual({
      count: 0,
      average: null,
      categories: {
        cleanliness: null,
        accuracy: null,
        checkIn: null,
        communication: null,
        location: null,
        value: null,
      },
    });
    await revealed(listing, guest);
    expect((await listingPage(listing.id)).rating).toEqual({ count: 1, average: 5, categories });
  });

  it("sorts searches by rating and filters them by minRating", async () => {
    const city = `Ratingville ${crypto.randomUUID().slice(0, 8)}`;
    const where = { address: { line1: "1 rue Haute", city, country: "FR" } };
    const [low, high, unrated] = [
      await newListing(host, where),
      await newListing(host, where),
      await newListing(host, where),
    ];
    // Each search has its own `limit`, so none is answered from the search cache.
    const search = async (query: string, limit: number) => {
      const answer = await t.call(listingRoutes.searchListings, {
        query: `country=FR&city=${encodeURIComponent(city)}&${query}&limit=${limit}`,
      });
      expectStatus(answer, 200);
      return answer.body.items;
    };
    expect(await search("minRating=1", 30)).toEqual([]);

    await revealed(low, guest, guestReview({ rating: 3 }));
    await revealed(high, guest, guestReview({ rating: 5 }));
    const sorted = await search("sort=rating", 31);
    expect(sorted.map((i) => i.id)).toEqual([high.id, low.id, unrated.id]);
    expect(sorted.map((i) => i.rating)).toEqual([
      { count: 1, average: 5 },
      { count: 1, average: 3 },
      { count: 0, average: null },
    ]);
    expect((await search("minRating=4", 32)).map((i) => i.id)).toEqual([high.id]);
    expect((await search("minRating=3&sort=rating", 33)).map((i) => i.id)).toEqual([high.id, low.id]);
  });
});

describe("POST /v1/admin/reviews/{id}/hide", () => {
  const hide = (by: SignedUpUser | undefined, id: string, reason = "Personal details of the host") =>
    t.call(routes.hideReview, { params: { id }, body: { reason }, ...(by && { token: by.accessToken }) });

  it("is for admins only: 401 without a token, 403 for the host and the author", async () => {
    const { guestSide } = await revealed(await newListing(), guest);
    expectStatus(await hide(undefined, guestSide.id), 401);
    for (const who of [host, guest, stranger]) expectStatus(await hide(who, guestSide.id), 403, who.email);
    expect((await reviewRows([guestSide.id]))[0]?.status).toBe("published");
  });

  it("takes the review out of the rating, lists and search, and e-mails its author why", async () => {
    const city = `Hiddenburg ${crypto.randomUUID().slice(0, 8)}`;
    const listing = await newListing(host, { address: { line1: "2 rue Basse", city, country: "FR" } });
    const kept = await revealed(listing, stranger, guestReview({ rating: 3 }), 1);
    const { guestSide } = await revealed(listing, guest, guestReview({ rating: 5 }), 3);
    expect((await listingPage(listing.id)).rating).toMatchObject({ count: 2, average: 4 });
    const inSearch = async (limit: number) => {
      const answer = await t.call(listingRoutes.searchListings, {
        query: `country=FR&city=${encodeURIComponent(city)}&minRating=3.5&limit=${limit}`,
      });
      expectStatus(answer, 200);
      return answer.body.items.map((i) => i.id);
    };
    expect(await inSearch(40)).toEqual([listing.id]);

    const hidden = await hide(admin, guestSide.id, "Names the host's neighbour");
    expectStatus(hidden, 200);
    expect(hidden.body).toMatchObject({ status: "hidden", hiddenReason: "Names the host's neighbour" });
    expect((await listingPage(listing.id)).rating).toMatchObject({ count: 1, average: 3 });
    expect((await listForListing(listing.id)).items.map((r) => r.id)).toEqual([kept.guestSide.id]);
    expect((await listForUser(host.id, "host")).items.map((r) => r.id)).not.toContain(guestSide.id);
    expect(await inSearch(41)).toEqual([]);

    for (const viewer of [undefined, host, stranger]) {
      expectStatus(await getReview(guestSide.id, viewer), 404, viewer?.email ?? "anonymous");
    }
    const own = await getReview(guestSide.id, guest);
    expectStatus(own, 200);
    expect(own.body).toMatchObject({ status: "hidden", hiddenReason: "Names the host's neighbour" });

    const again = await hide(admin, guestSide.id);
    expectStatus(again, 409);
    expect(again.body.code).toBe("INVALID_STATE");

    await tick();
    await t.deps.drainJobs();
    // The guest hears of other things by e-mail too (the host's review of them): this mail is once.
    const mails = t.logger.lines.filter(
      (line) =>
        line.message === "mail" &&
        line.to === guest.email &&
        line.subject === "Your stayedge review was hidden",
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ subject: "Your stayedge review was hidden" });
    expect(JSON.stringify(mails[0])).toContain("Names the host's neighbour");
  });

  it("keeps a hidden pending review out when its window closes", async () => {
    const listing = await newListing();
    const stay = await pastStay(listing, guest);
    const mine = await reviewed(guest, stay.id, guestReview());
    expectStatus(await hide(admin, mine.id, "Spam"), 200);
    await moveTo(stay.windowCloses);
    await tick();
    expect((await reviewRows([mine.id]))[0]?.status).toBe("hidden");
    expect((await listingPage(listing.id)).rating.count).toBe(0);
  });
});

describe("the private note", () => {
  it("is shown to its author and the host only", async () => {
    const listing = await newListing();
    const { guestSide } = await revealed(listing, guest, guestReview({ privateNote: "Key under the mat" }));
    for (const [viewer, note] of [
      [guest, "Key under the mat"],
      [host, "Key under the mat"],
      [stranger, null],
      [admin, null],
      [undefined, null],
    ] as const) {
      const read = await getReview(guestSide.id, viewer);
      expectStatus(read, 200);
      expect(read.body.privateNote, viewer?.email ?? "anonymous").toBe(note);
    }
    expect((await listForListing(listing.id)).items[0]?.privateNote).toBeNull();
    expect((await listForListing(listing.id, {}, stranger)).items[0]?.privateNote).toBeNull();
    expect((await listForListing(listing.id, {}, host)).items[0]?.privateNote).toBe("Key under the mat");
    expect(
      (await listForUser(host.id, "host")).items.find((r) => r.id === guestSide.id)?.privateNote,
    ).toBeNull();
  });
});

describe("the rating invariant itself", () => {
  it("notices a listing whose stored sums drift from its reviews", async () => {
    const listing = await newListing();
    await revealed(listing, guest);
    const drift = async (by: number) =>
      db()
        .update(listings)
        .set({ valueSum: sql`${listings.valueSum} + ${by}` })
        .where(eq(listings.id, listing.id));
    await drift(1);
    try {
      expect(await reviewInvariantBreaches(db())).toMatchObject([
        { listingId: listing.id, stored: { value_sum: 4 }, recounted: { value_sum: 3 } },
      ]);
    } finally {
      await drift(-1);
    }
  });
});
