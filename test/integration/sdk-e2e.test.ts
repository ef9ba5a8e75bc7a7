import { type ServerType, serve } from "@hono/node-server";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type components,
  createStayedgeClient,
  type StayedgeClient,
  StayedgeProblem,
  type Tokens,
  unwrap,
} from "../../sdk/src/index.ts";
import { bookings as bookingRows } from "../../src/db/schema/index.ts";
import { scheduledTick } from "../../src/jobs.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

/**
 * Issue 16: a stay booked end to end by SDK clients over real HTTP. The app is the one `npm start`
 * serves (same factory, Node deps, simulated payments), on a real socket; what the test adds is a
 * clock it can move, and the periodic tick run by hand once the stay is over. Every request goes
 * through `@stayedge/sdk`; every assertion is on what the SDK typed.
 */

type NewListing = components["schemas"]["NewListing"];

const clock = manualClock(new Date("2026-06-01T12:00:00Z"));
let t: TestApp;
let server: ServerType;
let baseUrl: string;

beforeAll(async () => {
  t = await createTestApp({ deps: { clock } });
  baseUrl = await new Promise<string>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
  });
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await t?.deps.drainJobs();
  await t?.close();
});

interface Person {
  api: StayedgeClient;
  id: string;
  /** Every change of tokens the SDK reported. */
  tokenChanges: (Tokens | undefined)[];
}

async function signUp(name: string): Promise<Person> {
  const tokenChanges: (Tokens | undefined)[] = [];
  const api = createStayedgeClient({ baseUrl, onTokens: (tokens) => tokenChanges.push(tokens) });
  const credentials = {
    email: `${name}-${crypto.randomUUID()}@example.com`,
    password: "a long enough password",
  };
  const user = await unwrap(api.POST("/v1/auth/register", { body: { ...credentials, name } }));
  api.setTokens(await unwrap(api.POST("/v1/auth/login", { body: credentials })));
  return { api, id: user.id, tokenChanges };
}

/** The problem a call was refused with. */
async function refusal(call: Promise<unknown>): Promise<StayedgeProblem> {
  const thrown = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(thrown instanceof StayedgeProblem)) throw new Error(`expected a StayedgeProblem, got ${thrown}`);
  return thrown;
}

const listing = (title: string, instantBook: boolean): NewListing => ({
  title,
  description: "Three rooms above the river, ten minutes from São Bento.",
  propertyType: "entire_home",
  address: { line1: "Rua da Reboleira 7", city: "Porto", country: "PT" },
  location: { lat: 41.1405, lng: -8.6139 },
  timezone: "Europe/Lisbon",
  maxGuests: 4,
  bedrooms: 2,
  beds: 2,
  bathrooms: 1,
  checkInTime: "15:00",
  checkOutTime: "11:00",
  nightlyPrice: 9000,
  currency: "EUR",
  cleaningFee: 2500,
  cancellationPolicy: "moderate",
  instantBook,
  status: "published",
});

const stay = { checkIn: "2026-06-10", checkOut: "2026-06-13", guests: 2 };
const shortStay = { checkIn: "2026-06-10", checkOut: "2026-06-12", guests: 2 };

describe("a stay booked end to end through @stayedge/sdk", () => {
  let host: Person;
  let guest: Person;
  let instant: components["schemas"]["Listing"];
  let onRequest: components["schemas"]["Listing"];
  let quote: components["schemas"]["Quote"];
  let instantBooking: string;
  let acceptedBooking: string;

  it("registers and signs in a host and a guest", async () => {
    [host, guest] = await Promise.all([signUp("Hostess"), signUp("Guest")]);
    const me = await unwrap(guest.api.GET("/v1/users/me"));
    expect(me).toMatchObject({ id: guest.id, name: "Guest", status: "active" });
  });

  it("lets the host publish an instant-book and a request-to-book listing", async () => {
    instant = await unwrap(host.api.POST("/v1/listings", { body: listing("Riverside flat", true) }));
    onRequest = await unwrap(host.api.POST("/v1/listings", { body: listing("Tiled house", false) }));
    expect([instant.status, instant.instantBook, onRequest.instantBook]).toEqual(["published", true, false]);
    expect(instant.hostId).toBe(host.id);
  });

  it("finds both for the guest's dates, and quotes the stay at the price the search showed", async () => {
    const page = await unwrap(
      guest.api.GET("/v1/listings", { params: { query: { city: "Porto", country: "PT", ...stay } } }),
    );
    const found = page.items.find((item) => item.id === instant.id);
    expect(page.items.map((item) => item.id).sort()).toEqual([instant.id, onRequest.id].sort());
    expect(found?.stay).toMatchObject({ nights: 3, currency: "EUR" });

    quote = await unwrap(guest.api.POST("/v1/bookings/quote", { body: { listingId: instant.id, ...stay } }));
    expect(quote).toMatchObject({ nights: 3, nightsTotal: 27_000, cleaningFee: 2500 });
    expect(quote.total).toBe(found?.stay?.total);
  });

  it("books the instant listing once for one Idempotency-Key, however often it is sent", async () => {
    const key = crypto.randomUUID();
    const book = () =>
      guest.api.POST("/v1/bookings", {
        body: { listingId: instant.id, ...stay, message: "Arriving by train." },
        params: { header: { "idempotency-key": key } },
      });
    const first = await book();
    const again = await book();
    expect(first.response.status).toBe(201);
    expect(again.response.headers.get("idempotent-replayed")).toBe("true");
    const booking = await unwrap(Promise.resolve(first));
    expect(again.data?.id).toBe(booking.id);
    expect(booking).toMatchObject({ status: "pending_payment", guestId: guest.id, hostId: host.id });
    expect(booking.quote.total).toBe(quote.total);
    expect(booking.payment).toMatchObject({ simulated: true, amount: quote.total });
    instantBooking = booking.id;
  });

  it("confirms the booking once the simulated card pays, and refuses its dates to a second booking", async () => {
    const paid = await unwrap(
      guest.api.POST("/v1/bookings/{id}/payment/simulate", {
        params: { path: { id: instantBooking } },
        body: { outcome: "succeed" },
      }),
    );
    expect(paid).toMatchObject({ simulated: true, charged: quote.total, refunded: 0 });
    const booking = await unwrap(
      guest.api.GET("/v1/bookings/{id}", { params: { path: { id: instantBooking } } }),
    );
    expect(booking.status).toBe("confirmed");

    const taken = await refusal(guest.api.POST("/v1/bookings", { body: { listingId: instant.id, ...stay } }));
    expect(taken).toMatchObject({ status: 409, code: "BOOKING_CONFLICT" });
    expect(taken.requestId).not.toBe("");
  });

  it("lets the host decline one request and accept the next for the same dates", async () => {
    const request = async () => {
      const booking = await unwrap(
        guest.api.POST("/v1/bookings", { body: { listingId: onRequest.id, ...shortStay } }),
      );
      await unwrap(
        guest.api.POST("/v1/bookings/{id}/payment/simulate", {
          params: { path: { id: booking.id } },
          body: { outcome: "succeed" },
        }),
      );
      return booking.id;
    };
    const declinedId = await request();
    const declined = await unwrap(
      host.api.POST("/v1/bookings/{id}/decline", { params: { path: { id: declinedId } } }),
    );
    expect(declined.status).toBe("declined");

    acceptedBooking = await request();
    const notTheirs = await refusal(
      guest.api.POST("/v1/bookings/{id}/accept", { params: { path: { id: acceptedBooking } } }),
    );
    expect(notTheirs).toMatchObject({ status: 403, code: "FORBIDDEN" });
    const accepted = await unwrap(
      host.api.POST("/v1/bookings/{id}/accept", { params: { path: { id: acceptedBooking } } }),
    );
    expect(accepted.status).toBe("confirmed");
  });

  it("takes no review before the stay is over", async () => {
    const early = await refusal(
      guest.api.POST("/v1/bookings/{id}/reviews", {
        params: { path: { id: instantBooking } },
        body: { rating: 5, comment: "Not yet" },
      }),
    );
    expect(early).toMatchObject({ status: 409, code: "INVALID_STATE" });
  });

  it("completes both stays once check-out has passed, renewing the expired tokens once for concurrent calls", async () => {
    // A day after the last check-out (11:00 in Lisbon): the access tokens (15 minutes) are long expired.
    clock.advance(13 * 86_400_000);
    // The tick skips a booking something else holds locked (the accept's payment settlement, or a
    // simulated Stripe event still being delivered): the next tick takes it, as the days in between
    // would on a real server. Tick until both are done, a few times at most.
    const statuses = async () =>
      (
        await t.db.database
          .connect()
          .db.select({ status: bookingRows.status })
          .from(bookingRows)
          .where(inArray(bookingRows.id, [instantBooking, acceptedBooking]))
      ).map((row) => row.status);
    for (let tick = 0; tick < 5 && !(await statuses()).every((status) => status === "completed"); tick++) {
      await t.deps.drainJobs();
      await scheduledTick(t.deps);
    }
    const before = guest.tokenChanges.length;
    const bookings = await Promise.all(
      [instantBooking, acceptedBooking].map((id) =>
        unwrap(guest.api.GET("/v1/bookings/{id}", { params: { path: { id } } })),
      ),
    );
    expect(bookings.map((booking) => booking.status)).toEqual(["completed", "completed"]);
    expect(guest.tokenChanges.length - before).toBe(1);
    expect(guest.api.tokens()).toEqual(guest.tokenChanges.at(-1));
  });

  it("reveals both reviews when the second side writes, and lets the host reply to the guest's", async () => {
    const categories = { cleanliness: 5, accuracy: 5, checkIn: 4, communication: 5, location: 5, value: 4 };
    const fromGuest = await unwrap(
      guest.api.POST("/v1/bookings/{id}/reviews", {
        params: { path: { id: instantBooking } },
        body: { rating: 5, comment: "Bright, quiet and spotless.", categories },
      }),
    );
    expect(fromGuest).toMatchObject({ side: "guest", status: "pending", subjectId: host.id, categories });

    const fromHost = await unwrap(
      host.api.POST("/v1/bookings/{id}/reviews", {
        params: { path: { id: instantBooking } },
        body: { rating: 5, comment: "A considerate guest.", wouldHostAgain: true },
      }),
    );
    expect(fromHost).toMatchObject({ side: "host", status: "published", subjectId: guest.id });

    const replied = await unwrap(
      host.api.POST("/v1/reviews/{id}/reply", {
        params: { path: { id: fromGuest.id } },
        body: { text: "Thank you, come back soon!" },
      }),
    );
    expect(replied.reply?.text).toBe("Thank you, come back soon!");

    const anyone = createStayedgeClient({ baseUrl });
    const shown = await unwrap(anyone.GET("/v1/reviews/{id}", { params: { path: { id: fromGuest.id } } }));
    expect(shown).toMatchObject({
      status: "published",
      rating: 5,
      reply: { text: "Thank you, come back soon!" },
    });
  });
});
