import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { bookings, reviews } from "../../src/db/schema/index.ts";
import type { Quote } from "../../src/domain/bookings/booking-schemas.ts";
import { bookingSchema } from "../../src/domain/bookings/booking-schemas.ts";
import { calendarSchema } from "../../src/domain/bookings/calendar-schemas.ts";
import { listingSchema, searchItemSchema } from "../../src/domain/listings/listing-schemas.ts";
import { paymentSchema } from "../../src/domain/payments/payment-schemas.ts";
import { countInListing } from "../../src/domain/reviews/listing-ratings.ts";
import { reviewSchema } from "../../src/domain/reviews/review-schemas.ts";
import type { ReviewRow } from "../../src/domain/reviews/review-view.ts";
import { LIMITS } from "../../src/graphql/limits.ts";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import * as calendarRoutes from "../../src/routes/calendar/calendar.routes.ts";
import * as listingRoutes from "../../src/routes/listings/listings.routes.ts";
import * as paymentRoutes from "../../src/routes/payments/payments.routes.ts";
import * as reviewRoutes from "../../src/routes/reviews/reviews.routes.ts";
import * as userRoutes from "../../src/routes/users/users.routes.ts";
import { privateUserSchema, publicProfileSchema } from "../../src/routes/users/users.schemas.ts";
import { expectStatus } from "../support/api.ts";
import { authHeader, type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { insertListings, insertUser } from "../support/factories.ts";
import {
  countStatements,
  errorCodes,
  type GraphQLAnswer,
  graphql,
  selectionOf,
  withoutNulls,
} from "../support/graphql.ts";
import { createListing } from "../support/listing-factory.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

/**
 * Issue 17: `/graphql` reads what REST reads, through the same domain verbs. Each field is compared
 * with the REST operation that answers the same thing; REST's authorisation cases are asked again;
 * nested reads are batched (the statements a page of 5 listings costs, a page of 50 costs too);
 * a document over a limit is refused before anything runs (no statement at all).
 */

const clock = manualClock(new Date("2026-06-01T12:00:00Z"));
let t: TestApp;
let host: SignedUpUser;
let guest: SignedUpUser;
let stranger: SignedUpUser;
let listingId: string;
let draftId: string;
let bookingId: string;
let quote: Quote;

const db = () => t.db.database.connect().db;
const gql = <T = Record<string, unknown>>(query: string, options: Parameters<typeof graphql>[2] = {}) =>
  graphql<T>(t, query, options);

/** The answer's data, once it has no error (the answer is the failure message otherwise). */
function dataOf<T>(answer: GraphQLAnswer<T>): T {
  expect(answer.errors, answer.text).toBeUndefined();
  expect(answer.status, answer.text).toBe(200);
  if (!answer.data) throw new Error(`no data: ${answer.text}`);
  return answer.data;
}

/** Three people wrote a published review of each listing, after stays in January. */
async function seedReviews(
  database: Database,
  listings: { id: string; hostId: string }[],
  reviewers: string[],
): Promise<void> {
  const stays = listings.flatMap((listing) =>
    reviewers.map((guestId, i) => ({ listing, guestId, i, id: crypto.randomUUID() })),
  );
  const at = (day: number) => new Date(Date.UTC(2026, 0, day, 12));
  await database.insert(bookings).values(
    stays.map(({ listing, guestId, i, id }) => ({
      id,
      listingId: listing.id,
      guestId,
      hostId: listing.hostId,
      checkIn: `2026-01-${String(1 + 4 * i).padStart(2, "0")}`,
      checkOut: `2026-01-${String(3 + 4 * i).padStart(2, "0")}`,
      guests: 2,
      status: "completed" as const,
      quote: { ...quote, listingId: listing.id },
      createdAt: at(1),
      updatedAt: at(1),
    })),
  );
  const rows: ReviewRow[] = await database
    .insert(reviews)
    .values(
      stays.map(({ listing, guestId, i, id }) => ({
        id: crypto.randomUUID(),
        bookingId: id,
        listingId: listing.id,
        side: "guest" as const,
        authorId: guestId,
        subjectId: listing.hostId,
        status: "published" as const,
        rating: 5 - (i % 3),
        ...{ cleanliness: 5, accuracy: 4, checkIn: 5, communication: 5, location: 4, value: 3 },
        comment: `Stay number ${i + 1}.`,
        privateNote: "The shower drain is slow.",
        windowClosesAt: at(20),
        publishedAt: at(10 + i),
        createdAt: at(6 + i),
        updatedAt: at(10 + i),
      })),
    )
    .returning();
  for (const row of rows) await countInListing({ db: database, deps: t.deps }, row, 1);
}

beforeAll(async () => {
  t = await createTestApp({ deps: { clock } });
  [host, guest, stranger] = await Promise.all([signUp(t), signUp(t), signUp(t)]);
  const photos = [{ url: "https://images.example.com/loft.jpg", caption: "The living room" }];
  listingId = (await createListing(t, host.accessToken, { photos })).id;
  draftId = (await createListing(t, host.accessToken, { status: "draft", title: "Not ready yet" })).id;
  const made = await t.call(bookingRoutes.createBooking, {
    token: guest.accessToken,
    body: { listingId, checkIn: "2026-07-01", checkOut: "2026-07-03", guests: 2, message: "Hello!" },
  });
  expectStatus(made, 201);
  bookingId = made.body.id;
  quote = made.body.quote;
  const reviewers = await Promise.all([insertUser(db()), insertUser(db()), insertUser(db())]);
  await seedReviews(
    db(),
    [{ id: listingId, hostId: host.id }],
    reviewers.map((r) => r.id),
  );
});
afterAll(() => t?.close());

describe("each field answers what the REST operation reading the same thing answers", () => {
  it("listing(id): every field of GET /v1/listings/{id}, photos and address included", async () => {
    const rest = await t.call(listingRoutes.getListing, { params: { id: listingId } });
    expectStatus(rest, 200);
    const data = dataOf(await gql(`{ listing(id: "${listingId}") ${selectionOf(listingSchema)} }`));
    expect(data.listing).toEqual(rest.body);
    expect(rest.body.photos).toHaveLength(1);
    expect(rest.body.rating.count).toBe(3);
  });

  it("listings(...): the items, order and cursors of GET /v1/listings, page after page", async () => {
    const search = `city: "Paris", country: "FR", sort: price_asc, minPrice: 100`;
    const restPages: unknown[] = [];
    let cursor: string | undefined;
    do {
      const rest = await t.call(listingRoutes.searchListings, {
        query: { city: "Paris", country: "FR", sort: "price_asc", minPrice: 100, limit: 1, cursor },
      });
      expectStatus(rest, 200);
      restPages.push(...rest.body.items);
      cursor = rest.body.nextCursor ?? undefined;
    } while (cursor);

    type Page = {
      listings: {
        edges: { cursor: string; node: unknown }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const graphqlPages: unknown[] = [];
    let after: string | null = null;
    for (;;) {
      const { listings }: Page = dataOf(
        await gql<Page>(
          `query($after: String) { listings(${search}, first: 1, after: $after) {
            edges { cursor node ${selectionOf(searchItemSchema)} }
            pageInfo { hasNextPage endCursor } } }`,
          { variables: { after } },
        ),
      );
      graphqlPages.push(...listings.edges.map((edge) => edge.node));
      expect(listings.pageInfo.endCursor).toBe(listings.edges.at(-1)?.cursor ?? null);
      if (!listings.pageInfo.hasNextPage) break;
      after = listings.pageInfo.endCursor;
    }
    expect(graphqlPages.length).toBeGreaterThanOrEqual(1);
    expect(withoutNulls(graphqlPages)).toEqual(withoutNulls(restPages));
  });

  it("a cursor from either API continues the other's list", async () => {
    const rest = await t.call(listingRoutes.listMine, { token: host.accessToken, query: { limit: 1 } });
    expectStatus(rest, 200);
    const { myListings } = dataOf(
      await gql<{ myListings: { edges: { node: { id: string } }[] } }>(
        `{ myListings(first: 1, after: "${rest.body.nextCursor}") { edges { node { id } } } }`,
        { token: host.accessToken },
      ),
    );
    const restNext = await t.call(listingRoutes.listMine, {
      token: host.accessToken,
      query: { limit: 1, cursor: rest.body.nextCursor ?? "" },
    });
    expectStatus(restNext, 200);
    expect(myListings.edges.map((edge) => edge.node.id)).toEqual(restNext.body.items.map((item) => item.id));
  });

  it("myListings: every status, newest first, as GET /v1/users/me/listings", async () => {
    const rest = await t.call(listingRoutes.listMine, { token: host.accessToken });
    expectStatus(rest, 200);
    const { myListings } = dataOf(
      await gql<{ myListings: { edges: { node: unknown }[] } }>(
        `{ myListings { edges { node ${selectionOf(listingSchema)} } } }`,
        { token: host.accessToken },
      ),
    );
    expect(myListings.edges.map((edge) => edge.node)).toEqual(rest.body.items);
    expect(rest.body.items.map((item) => item.status).sort()).toEqual(["draft", "published"]);
  });

  it("booking(id): as GET /v1/bookings/{id}, for its guest and for its host", async () => {
    for (const who of [guest, host]) {
      const rest = await t.call(bookingRoutes.getBooking, {
        token: who.accessToken,
        params: { id: bookingId },
      });
      expectStatus(rest, 200);
      const data = dataOf(
        await gql(`{ booking(id: "${bookingId}") ${selectionOf(bookingSchema)} }`, {
          token: who.accessToken,
        }),
      );
      expect(data.booking).toEqual(rest.body);
    }
  });

  it("booking.payment: as GET /v1/bookings/{id}/payment, which shows the host more than the guest", async () => {
    for (const who of [guest, host]) {
      const rest = await t.call(paymentRoutes.getPayment, {
        token: who.accessToken,
        params: { id: bookingId },
      });
      expectStatus(rest, 200);
      const { booking } = dataOf(
        await gql<{ booking: { payment: unknown } }>(
          `{ booking(id: "${bookingId}") { payment ${selectionOf(paymentSchema)} } }`,
          { token: who.accessToken },
        ),
      );
      expect(booking.payment).toEqual(rest.body);
    }
  });

  it("myBookings(as, status): as GET /v1/users/me/bookings", async () => {
    const cases = [
      { who: guest, args: "", query: {} },
      { who: host, args: "as: host, status: requested", query: { as: "host", status: "requested" } },
      { who: stranger, args: "", query: {} },
    ];
    for (const { who, args, query } of cases) {
      const rest = await t.call(bookingRoutes.listBookings, { token: who.accessToken, query });
      expectStatus(rest, 200);
      const { myBookings } = dataOf(
        await gql<{ myBookings: { edges: { node: unknown }[] } }>(
          `{ myBookings${args ? `(${args})` : ""} { edges { node ${selectionOf(bookingSchema)} } } }`,
          { token: who.accessToken },
        ),
      );
      expect(myBookings.edges.map((edge) => edge.node)).toEqual(rest.body.items);
    }
    const { myBookings } = dataOf(
      await gql<{ myBookings: { edges: unknown[] } }>("{ myBookings { edges { cursor } } }", {
        token: guest.accessToken,
      }),
    );
    expect(myBookings.edges).toHaveLength(1);
  });

  it("me: as GET /v1/users/me, e-mail and phone included", async () => {
    const rest = await t.call(userRoutes.me, { token: guest.accessToken });
    expectStatus(rest, 200);
    const data = dataOf(await gql(`{ me ${selectionOf(privateUserSchema)} }`, { token: guest.accessToken }));
    expect(data.me).toEqual(rest.body);
    expect(rest.body.email).toBe(guest.email);
  });

  it("user(id): as GET /v1/users/{id}, its review summaries on user.reviews", async () => {
    const rest = await t.call(userRoutes.getUser, { params: { id: host.id } });
    expectStatus(rest, 200);
    const { user } = dataOf(
      await gql<{ user: Record<string, unknown> & { asHost: unknown; asGuest: unknown } }>(
        `{ user(id: "${host.id}") {
          ...Profile
          asHost: reviews(as: host) { summary { count average } }
          asGuest: reviews(as: guest) { summary { count average } }
        } }
        fragment Profile on PublicProfile ${selectionOf(publicProfileSchema, ["reviews"])}`,
      ),
    );
    const { reviews: summaries, ...profile } = rest.body;
    const { asHost, asGuest, ...fields } = user;
    expect(fields).toEqual(profile);
    expect({ asHost, asGuest }).toEqual({
      asHost: { summary: summaries.asHost },
      asGuest: { summary: summaries.asGuest },
    });
    expect(summaries.asHost.count).toBe(3);
  });

  it("user.reviews(as, first, after): the pages of GET /v1/users/{id}/reviews", async () => {
    const rest = await t.call(reviewRoutes.listUserReviews, {
      params: { id: host.id },
      query: { as: "host", limit: 2 },
    });
    expectStatus(rest, 200);
    const first = dataOf(
      await gql<{
        user: {
          reviews: { edges: { node: unknown }[]; pageInfo: { endCursor: string; hasNextPage: boolean } };
        };
      }>(
        `{ user(id: "${host.id}") { reviews(as: host, first: 2) {
          edges { node ${selectionOf(reviewSchema)} } pageInfo { endCursor hasNextPage } } } }`,
      ),
    );
    expect(first.user.reviews.edges.map((edge) => edge.node)).toEqual(rest.body.items);
    expect(first.user.reviews.pageInfo).toEqual({ endCursor: rest.body.nextCursor, hasNextPage: true });
    const next = dataOf(
      await gql<{ user: { reviews: { edges: { node: { comment: string } }[] } } }>(
        `{ user(id: "${host.id}") { reviews(as: host, after: "${first.user.reviews.pageInfo.endCursor}") {
          edges { node { comment } } } } }`,
      ),
    );
    expect(next.user.reviews.edges.map((edge) => edge.node.comment)).toEqual(["Stay number 1."]);
  });

  it("reviews(listingId, first, after): the pages and summary of GET /v1/listings/{id}/reviews", async () => {
    const rest = await t.call(reviewRoutes.listListingReviews, {
      params: { id: listingId },
      query: { limit: 2 },
    });
    expectStatus(rest, 200);
    const { reviews: page } = dataOf(
      await gql<{
        reviews: { edges: { node: unknown }[]; pageInfo: { endCursor: string }; summary: unknown };
      }>(
        `{ reviews(listingId: "${listingId}", first: 2) {
          summary { count average categories { cleanliness accuracy checkIn communication location value } }
          edges { node ${selectionOf(reviewSchema)} } pageInfo { endCursor } } }`,
      ),
    );
    expect(page.edges.map((edge) => edge.node)).toEqual(rest.body.items);
    expect(page.summary).toEqual(rest.body.summary);
    expect(page.pageInfo.endCursor).toBe(rest.body.nextCursor);
    // The host sees the guests' private notes to them, as REST shows them (the public does not).
    const mine = dataOf(
      await gql<{ reviews: { edges: { node: { privateNote: string | null } }[] } }>(
        `{ reviews(listingId: "${listingId}") { edges { node { privateNote } } } }`,
        { token: host.accessToken },
      ),
    );
    expect(mine.reviews.edges.map((edge) => edge.node.privateNote)).toEqual(
      Array(3).fill("The shower drain is slow."),
    );
    expect(rest.body.items.map((item) => item.privateNote)).toEqual([null, null]);
  });

  it("listing.calendar(from, to): as GET /v1/listings/{id}/calendar, the booked nights included", async () => {
    const range = { from: "2026-06-29", to: "2026-07-05" };
    const rest = await t.call(calendarRoutes.getCalendar, { params: { id: listingId }, query: range });
    expectStatus(rest, 200);
    const { listing } = dataOf(
      await gql<{ listing: { calendar: unknown } }>(
        `{ listing(id: "${listingId}") { calendar(from: "${range.from}", to: "${range.to}") ${selectionOf(calendarSchema)} } }`,
      ),
    );
    expect(listing.calendar).toEqual(rest.body);
    expect(rest.body.days.filter((day) => day.status === "booked").map((day) => day.date)).toEqual([
      "2026-07-01",
      "2026-07-02",
    ]);
  });

  it("nested reads: a listing's host and first reviews, a booking's listing and people, a card's listing", async () => {
    const answer = await gql<Record<string, unknown>>(
      `{
        listing(id: "${listingId}") {
          host { id name isHost }
          reviews(first: 2) { summary { count } edges { node { comment author { id } } } pageInfo { hasNextPage } }
        }
        booking(id: "${bookingId}") { listing { id title } guest { id } host { id } }
        listings(city: "Paris", country: "FR", first: 1) { edges { node { id listing { id hostId } } } }
      }`,
      { token: guest.accessToken },
    );
    expect(dataOf(answer)).toEqual({
      listing: {
        host: { id: host.id, name: host.name, isHost: true },
        reviews: {
          summary: { count: 3 },
          edges: [
            { node: { comment: "Stay number 3.", author: { id: expect.any(String) } } },
            { node: { comment: "Stay number 2.", author: { id: expect.any(String) } } },
          ],
          pageInfo: { hasNextPage: true },
        },
      },
      booking: {
        listing: { id: listingId, title: "Sunny loft by the canal" },
        guest: { id: guest.id },
        host: { id: host.id },
      },
      listings: {
        edges: [
          {
            node: { id: expect.any(String), listing: { id: expect.any(String), hostId: expect.any(String) } },
          },
        ],
      },
    });
  });

  it("answers GET requests too", async () => {
    const query = encodeURIComponent(`{ listing(id: "${listingId}") { title } }`);
    const response = await t.app.request(`/graphql?query=${query}`, {
      headers: { accept: "application/json" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { listing: { title: "Sunny loft by the canal" } } });
  });
});

describe("authentication: REST's Bearer tokens", () => {
  it("without a token, public fields answer and `me` is null with UNAUTHENTICATED", async () => {
    const answer = await gql<{ listing: { id: string }; me: null }>(
      `{ listing(id: "${listingId}") { id } me { id } myBookings { edges { cursor } } }`,
    );
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ listing: { id: listingId }, me: null, myBookings: null });
    expect(errorCodes(answer)).toEqual({ me: "UNAUTHENTICATED", myBookings: "UNAUTHENTICATED" });
  });

  it("with an invalid token, nothing runs: 401, UNAUTHENTICATED and the Bearer challenge", async () => {
    const counter = countStatements(t.db.database);
    try {
      for (const token of ["not-a-jwt", `${guest.accessToken}x`]) {
        counter.reset();
        const answer = await gql(`{ listing(id: "${listingId}") { id } }`, { token });
        expect(answer.status).toBe(401);
        expect(answer.headers.get("www-authenticate")).toContain('error="invalid_token"');
        expect(answer.data).toBeUndefined();
        expect(errorCodes(answer)).toEqual({ "-": "UNAUTHENTICATED" });
        expect(counter.count).toBe(0);
      }
    } finally {
      counter.stop();
    }
  });

  it("a token that is not a Bearer token is refused the same way", async () => {
    const answer = await gql("{ me { id } }", { headers: { authorization: "Basic Zm9vOmJhcg==" } });
    expect(answer.status).toBe(401);
    expect(errorCodes(answer)).toEqual({ "-": "UNAUTHENTICATED" });
  });
});

describe("authorisation: REST's BOLA cases asked through GraphQL never answer data", () => {
  it("another user's booking and its payment: null with NOT_FOUND, and never in their lists", async () => {
    const answer = await gql(
      `{ booking(id: "${bookingId}") { id payment { amount } listing { id } } myBookings { edges { node { id } } } hosting: myBookings(as: host) { edges { node { id } } } }`,
      { token: stranger.accessToken },
    );
    expect(answer.data).toEqual({ booking: null, myBookings: { edges: [] }, hosting: { edges: [] } });
    expect(errorCodes(answer)).toEqual({ booking: "NOT_FOUND" });
  });

  it("a draft listing of someone else: NOT_FOUND for others and the public, visible to its host", async () => {
    const query = `{ listing(id: "${draftId}") { id title calendar { from } } reviews(listingId: "${draftId}") { summary { count } } }`;
    for (const token of [stranger.accessToken, guest.accessToken, undefined]) {
      const answer = await gql(query, token ? { token } : {});
      expect(answer.data).toEqual({ listing: null, reviews: null });
      expect(errorCodes(answer)).toEqual({ listing: "NOT_FOUND", reviews: "NOT_FOUND" });
    }
    const own = await gql<{ listing: { title: string } }>(query, { token: host.accessToken });
    expect(dataOf(own).listing.title).toBe("Not ready yet");
  });

  it("a listing its host unlisted: gone from the guest's booking as from REST, still there for the host", async () => {
    const hidden = await createListing(t, host.accessToken, { status: "unlisted" });
    const query = `{ listing(id: "${hidden.id}") { id } }`;
    expect(errorCodes(await gql(query, { token: guest.accessToken }))).toEqual({ listing: "NOT_FOUND" });
    expect(dataOf(await gql(query, { token: host.accessToken }))).toEqual({ listing: { id: hidden.id } });
  });

  it("private fields of a user exist only on `me`: asking them of anyone else is refused", async () => {
    const rest = await t.call(userRoutes.getUser, { params: { id: guest.id } });
    expectStatus(rest, 200);
    expect(rest.body).not.toHaveProperty("email");
    for (const query of [
      `{ user(id: "${guest.id}") { email } }`,
      `{ user(id: "${guest.id}") { phone } }`,
      `{ listing(id: "${listingId}") { host { email } } }`,
      `{ booking(id: "${bookingId}") { guest { phone email } } }`,
      `{ reviews(listingId: "${listingId}") { edges { node { author { email } } } } }`,
    ]) {
      const answer = await gql(query, { token: host.accessToken });
      expect(answer.data, query).toBeUndefined();
      expect(
        answer.errors?.map((error) => error.extensions?.code),
        query,
      ).toContain("VALIDATION_FAILED");
      expect(answer.text).not.toContain(guest.email);
    }
  });
});

describe("arguments are checked as REST checks its parameters", () => {
  const search = (args: string) => gql(`{ listings(${args}) { edges { cursor } } }`);

  it("names the invalid argument as GraphQL calls it: first, after, country, bbox, q", async () => {
    const cases: [string, string][] = [
      ["first: 0", "first"],
      ["first: 51", "first"],
      [`after: "not-a-cursor"`, "after"],
      [`city: "Paris"`, "country"],
      ["near: { lat: 48.8, lng: 2.3 }, bbox: { swLat: 48, swLng: 2, neLat: 49, neLng: 3 }", "bbox"],
      ["near: { lat: 91, lng: 2.3 }", "near.0"],
      [`q: "a\\u0000b"`, "q"],
      ["sort: distance", "sort"],
      [`checkIn: "2026-07-10", checkOut: "2026-07-09"`, "checkOut"],
    ];
    for (const [args, field] of cases) {
      const answer = await search(args);
      expect(answer.data, args).toEqual({ listings: null });
      expect(answer.errors?.[0]?.extensions, args).toMatchObject({
        code: "VALIDATION_FAILED",
        errors: [expect.objectContaining({ field })],
      });
    }
  });

  it("refuses a cursor of another order, and ids that are not UUIDs", async () => {
    const { listings } = dataOf(
      await gql<{ listings: { pageInfo: { endCursor: string } } }>(
        `{ listings(city: "Paris", country: "FR", first: 1) { pageInfo { endCursor } } }`,
      ),
    );
    const other = await search(
      `city: "Paris", country: "FR", sort: newest, after: "${listings.pageInfo.endCursor}"`,
    );
    expect(other.errors?.[0]?.extensions).toMatchObject({
      code: "VALIDATION_FAILED",
      errors: [{ field: "after" }],
    });
    const answer = await gql(
      `{ listing(id: "nope") { id } reviews(listingId: "nope") { summary { count } } }`,
    );
    const byPath = Object.fromEntries(
      answer.errors?.map((error) => [error.path?.[0], error.extensions]) ?? [],
    );
    expect(byPath).toEqual({
      listing: { code: "VALIDATION_FAILED", errors: [{ field: "id", message: "Invalid UUID" }] },
      reviews: { code: "VALIDATION_FAILED", errors: [{ field: "listingId", message: "Invalid UUID" }] },
    });
  });

  it("refuses variables of the wrong type before running anything", async () => {
    const counter = countStatements(t.db.database);
    try {
      const answer = await gql("query($first: Int) { listings(first: $first) { edges { cursor } } }", {
        variables: { first: "many" },
      });
      expect(errorCodes(answer)).toEqual({ "-": "VALIDATION_FAILED" });
      expect(counter.count).toBe(0);
    } finally {
      counter.stop();
    }
  });
});

describe("limits: a document over one is refused before anything runs", () => {
  const connectionsDeep = `{ listings { edges { node { listing { host { reviews { edges { node {
    author { reviews { edges { node { id } } } } } } } } } } } } }`;
  const refusals: [string, string, string, RegExp][] = [
    ["malformed", "{ listing(id: ", "MALFORMED_REQUEST", /Syntax Error/],
    ["unknown field", '{ listing(id: "x") { nope } }', "VALIDATION_FAILED", /Cannot query field "nope"/],
    ["too deep", connectionsDeep, "VALIDATION_FAILED", new RegExp(`depth limit of ${LIMITS.depth}`)],
    [
      "too many aliases",
      `{ ${Array.from({ length: LIMITS.aliases + 1 }, (_, i) => `a${i}: me { id }`).join(" ")} }`,
      "VALIDATION_FAILED",
      new RegExp(`Aliases limit of ${LIMITS.aliases}`),
    ],
    [
      "too many tokens",
      `{ me { ${"id ".repeat(LIMITS.tokens)} } }`,
      "PAYLOAD_TOO_LARGE",
      new RegExp(`more than ${LIMITS.tokens} tokens`),
    ],
    [
      "too costly, page sizes written in the document",
      "{ myBookings(first: 100) { edges { node { payment { amount } listing { calendar { from } } } } } }",
      "VALIDATION_FAILED",
      /costs \d+, more than the 1000 allowed/,
    ],
  ];

  it.each(refusals)(
    "%s: its code, its reason, and not a statement run",
    async (_name, query, code, reason) => {
      const counter = countStatements(t.db.database);
      try {
        const answer = await gql(query);
        expect(answer.data, answer.text).toBeUndefined();
        expect(errorCodes(answer), answer.text).toEqual({ "-": code });
        expect(answer.errors?.[0]?.message).toMatch(reason);
        expect(counter.count).toBe(0);
      } finally {
        counter.stop();
      }
    },
  );

  it("counts a page size a variable sets as the largest page", async () => {
    const query = "query($n: Int) { myBookings(first: $n) { edges { node { payment { amount } } } } }";
    const counter = countStatements(t.db.database);
    try {
      const answer = await gql(query, { variables: { n: 1 }, token: guest.accessToken });
      expect(answer.errors?.[0]?.message).toMatch(/costs 2102/);
      // Authenticating the token is the only statement.
      expect(counter.count).toBeLessThanOrEqual(1);
    } finally {
      counter.stop();
    }
  });

  it("answers 400 to a client that accepts application/graphql-response+json", async () => {
    const answer = await gql("{ listing(id: ", { headers: { accept: "application/graphql-response+json" } });
    expect(answer.status).toBe(400);
    expect(errorCodes(answer)).toEqual({ "-": "MALFORMED_REQUEST" });
  });

  it("refuses a body over the app's limit with REST's 413 problem", async () => {
    const response = await t.app.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ me { id } } # ${"x".repeat(t.deps.config.BODY_LIMIT_BYTES)}` }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
  });

  it("refuses a body that is not JSON", async () => {
    const response = await t.app.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{ me { id } }",
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(response.status).toBe(400);
    expect(body.errors[0]?.extensions.code).toBe("MALFORMED_REQUEST");
  });

  it("lets a page of 50 listings with their hosts, reviews and calendars through", async () => {
    const answer = await gql(`{ listings(first: 50) { edges { node { listing {
      host { name reviews { summary { average } } }
      reviews(first: 3) { edges { node { rating author { name } } } }
      calendar { from }
    } } } } }`);
    expect(answer.errors, answer.text).toBeUndefined();
  });
});

describe("nested reads are batched", () => {
  it("a page of 50 listings with hosts and first reviews runs as many statements as a page of 5", async () => {
    const city = "Graphville";
    const hosts = await Promise.all(Array.from({ length: 50 }, () => insertUser(db())));
    const rows = await Promise.all(
      hosts.map(async (owner, i) => {
        const [row] = await insertListings(db(), owner.id, [
          { city, nightlyPrice: 10_000 + i, createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)) },
        ]);
        return { id: row?.id ?? "", hostId: owner.id };
      }),
    );
    const reviewers = await Promise.all([insertUser(db()), insertUser(db()), insertUser(db())]);
    await seedReviews(
      db(),
      rows,
      reviewers.map((r) => r.id),
    );
    const page = (first: number) => `{ listings(city: "${city}", country: "FR", first: ${first}) {
      edges { node { id listing {
        host { name }
        reviews(first: 2) { summary { count } edges { node { rating author { name } } } }
      } } } } }`;
    const counter = countStatements(t.db.database);
    try {
      const counts: Record<number, number> = {};
      for (const first of [5, 50]) {
        counter.reset();
        const { listings } = dataOf(
          await gql<{
            listings: {
              edges: {
                node: {
                  listing: {
                    host: { name: string };
                    reviews: { summary: { count: number }; edges: { node: { author: { name: string } } }[] };
                  };
                };
              }[];
            };
          }>(page(first)),
        );
        expect(listings.edges).toHaveLength(first);
        for (const { node } of listings.edges) {
          expect(node.listing.host.name).toMatch(/^User /);
          expect(node.listing.reviews.summary.count).toBe(3);
          expect(node.listing.reviews.edges).toHaveLength(2);
        }
        counts[first] = counter.count;
      }
      // The search, the listings, the hosts' profiles (2), the reviews (1: the listings are not read
      // again), their authors' profiles (2).
      expect(counts[50]).toBe(counts[5]);
      expect(counts[5]).toBeLessThanOrEqual(7);
      console.info(`statements for a page of 5 listings: ${counts[5]}; of 50: ${counts[50]}`);
    } finally {
      counter.stop();
    }
  });
});

describe("errors", () => {
  it("anything unexpected is INTERNAL, says nothing, and is logged with the request id", async () => {
    const broken = await createTestApp();
    try {
      const someone = await insertUser(broken.db.database.connect().db, {
        email: "secret-person@example.com",
      });
      await broken.db.database
        .connect()
        .db.execute(sql.raw("alter table users rename column bio to biography"));
      const answer = await graphql(
        broken,
        `{ user(id: "${someone.id}") { name } listing(id: "${listingId}") { id } }`,
        {
          headers: { "x-request-id": "req-graphql-broken-1" },
        },
      );
      expect(answer.status).toBe(200);
      expect(answer.data).toEqual({ user: null, listing: null });
      expect(answer.errors?.find((error) => error.path?.[0] === "user")).toEqual({
        message: "Something went wrong on our side. Quote the request id if you report it.",
        locations: [{ line: 1, column: 3 }],
        path: ["user"],
        extensions: { code: "INTERNAL", requestId: "req-graphql-broken-1" },
      });
      expect(errorCodes(answer)).toEqual({ user: "INTERNAL", listing: "NOT_FOUND" });
      const line = broken.logger.lines.find((l) => l.message === "graphql error");
      expect(line).toMatchObject({
        level: "error",
        requestId: "req-graphql-broken-1",
        path: "user",
        sqlState: "42703",
      });
      const logged = JSON.stringify(broken.logger.lines);
      for (const secret of [someone.id, "secret-person", "Failed query", "params:"]) {
        expect(logged).not.toContain(secret);
      }
    } finally {
      await broken.close();
    }
  });
});

describe("introspection and GraphiQL", () => {
  it("are there outside production", async () => {
    const answer = await gql<{ __schema: { queryType: { name: string } } }>(
      "{ __schema { queryType { name } } }",
    );
    expect(dataOf(answer).__schema.queryType.name).toBe("Query");
    const page = await t.app.request("/graphql", { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("GraphiQL");
  });

  it("are not in production, nor are the field names suggestions would tell", async () => {
    const production = await createTestApp({
      env: {
        APP_ENV: "production",
        MAIL_PROVIDER: "log",
        STRIPE_SECRET_KEY: "sk_test_graphql",
        STRIPE_WEBHOOK_SECRET: "whsec_graphql",
        STRIPE_API_URL: "http://127.0.0.1:9",
      },
    });
    try {
      const introspection = await graphql(production, "{ __schema { types { name } } }");
      expect(errorCodes(introspection)).toEqual({ "-": "VALIDATION_FAILED" });
      expect(introspection.data).toBeUndefined();
      const typo = await graphql(production, `{ listng(id: "${listingId}") { id } }`);
      expect(typo.errors?.[0]?.message).toBe('Cannot query field "listng" on type "Query".');
      const page = await production.app.request("/graphql", { headers: { accept: "text/html" } });
      expect(await page.text()).not.toContain("GraphiQL");
    } finally {
      await production.close();
    }
  });
});

describe("the endpoint", () => {
  it("answers other methods 405, as every route does", async () => {
    const response = await t.app.request("/graphql", {
      method: "PUT",
      headers: authHeader(guest.accessToken),
    });
    expect(response.status).toBe(405);
  });
});
