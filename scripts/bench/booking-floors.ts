/**
 * The floors of the booking scenarios, served by the server worker: the statements the app runs
 * for bookings.quote and bookings.create (its booking, then its payment: the PaymentIntent through
 * `fetch` and its row), through `pg` with no validation, middleware, ORM or Stripe SDK.
 * Each statement is rendered once by drizzle from the app's own builders (or, where the app's
 * query is not exported, the same query written out), with placeholders for the values of a
 * request; the floor route fills them in per request as drizzle does for a prepared query.
 */
import { and, eq, fillPlaceholders, gte, isNull, lt, sql } from "drizzle-orm";
import pg from "pg";
import { uuidv7Ids } from "../../src/adapters/system.ts";
import type { Config } from "../../src/config.ts";
import { postgresDatabase } from "../../src/db/node-postgres.ts";
import {
  bookingEvents,
  bookings,
  calendarDays,
  listings,
  outbox,
  payments,
  sessions,
  users,
} from "../../src/db/schema/index.ts";
import { calendarDaysIn, holdingBookingsIn } from "../../src/domain/bookings/calendar-store.ts";
import { topics } from "../../src/domain/outbox/topics.ts";

/** What a booking floor knows of its requests, set before the run (main thread → worker). */
export interface BookingFloorSet {
  kind: "quote" | "create";
  listings: Array<{ id: string; hostId: string; instantBook: boolean; quote?: unknown }>;
  guests: Array<{ userId: string; sessionId: string }>;
  requests: Array<{ listing: number; guest: number; checkIn: string; checkOut: string; guests: number }>;
}

/** Runs one statement, rows as arrays of values (as drizzle asks for them). */
export type Query = (text: string, values: unknown[]) => Promise<unknown[][]>;

export interface FloorDatabase {
  query: Query;
  /** BEGIN, `work` on one connection, COMMIT (ROLLBACK if it throws), as drizzle's transaction does. */
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
}

type Values = Record<string, unknown>;
type Statement = { text: string; run: (query: Query, values: Values) => Promise<unknown[][]> };

/** drizzle's builders take the column's type; a placeholder stands in for it. */
const p = (name: string) => sql.placeholder(name) as unknown as string;

function prepare(query: { toSQL(): { sql: string; params: unknown[] } }): Statement {
  const { sql: text, params } = query.toSQL();
  return { text, run: (run, values) => run(text, fillPlaceholders(params, values)) };
}

function statements() {
  const db = postgresDatabase(new pg.Pool({ max: 1 }));
  const listing = db
    .select()
    .from(listings)
    .where(eq(listings.id, p("listingId")))
    .limit(1);
  const stay = [p("listingId"), p("checkIn"), p("checkOut")] as const;
  const placeholders = <K extends string>(...names: K[]) =>
    Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as unknown as Record<
      K,
      ReturnType<typeof sql.placeholder>
    >;
  return {
    // authenticate() (src/domain/identity/authenticate.ts)
    session: prepare(
      db
        .select({ isAdmin: users.isAdmin })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(
          and(
            eq(sessions.id, p("sessionId")),
            eq(sessions.userId, p("userId")),
            isNull(sessions.revokedAt),
            eq(users.status, "active"),
          ),
        )
        .limit(1),
    ),
    listing: prepare(listing), // findListing
    lockListing: prepare(listing.for("update")), // createBooking
    held: prepare(holdingBookingsIn(db, ...stay).limit(1)), // datesTaken
    // datesTaken's second query
    blocked: prepare(
      db
        .select({ day: calendarDays.day })
        .from(calendarDays)
        .where(
          and(
            eq(calendarDays.listingId, p("listingId")),
            gte(calendarDays.day, p("checkIn")),
            lt(calendarDays.day, p("checkOut")),
            eq(calendarDays.blocked, true),
          ),
        )
        .limit(1),
    ),
    days: prepare(calendarDaysIn(db, ...stay)), // quoteStayAt
    insertBooking: prepare(
      db
        .insert(bookings)
        .values(
          placeholders(
            "id",
            "listingId",
            "guestId",
            "hostId",
            "checkIn",
            "checkOut",
            "guests",
            "status",
            "quote",
            "message",
            "holdExpiresAt",
            "createdAt",
            "updatedAt",
          ),
        )
        .returning(),
    ),
    // recordEvent and addToOutbox (src/domain/bookings/booking-store.ts)
    insertEvent: prepare(
      db
        .insert(bookingEvents)
        .values(
          placeholders("id", "bookingId", "actorId", "actorRole", "fromStatus", "toStatus", "reason", "at"),
        ),
    ),
    insertOutbox: prepare(
      db.insert(outbox).values(placeholders("id", "topic", "payload", "createdAt", "availableAt")),
    ),
    // startPayment (src/domain/payments/start-payment.ts), after the booking's transaction
    booking: prepare(
      db
        .select()
        .from(bookings)
        .where(eq(bookings.id, p("id")))
        .limit(1),
    ),
    payment: prepare(
      db
        .select({ intentId: payments.intentId })
        .from(payments)
        .where(eq(payments.bookingId, p("id")))
        .limit(1),
    ),
    insertPayment: prepare(
      db
        .insert(payments)
        .values(
          placeholders(
            "bookingId",
            "intentId",
            "amount",
            "currency",
            "captureMethod",
            "status",
            "createdAt",
            "updatedAt",
          ),
        )
        .onConflictDoNothing(),
    ),
  };
}

/** An answer of a floor: its status and body. */
export interface FloorAnswer {
  status: 200 | 201 | 401 | 404 | 409;
  body: unknown;
}

/** Ends a floor's transaction with an answer other than 201 (ROLLBACK). */
class Refusal extends Error {
  readonly status: 404 | 409;
  constructor(status: 404 | 409) {
    super(String(status));
    this.status = status;
  }
}

const EXCLUSION_VIOLATION = "23P01";

/** POST /v1/payment_intents to the app's Stripe (fake-stripe in the bench) with fetch alone. */
async function createIntent(config: Config, form: Record<string, string>, idempotencyKey: string) {
  const answer = await fetch(`${config.STRIPE_API_URL}/v1/payment_intents`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${config.STRIPE_SECRET_KEY}`,
      "content-type": "application/x-www-form-urlencoded",
      "idempotency-key": idempotencyKey,
    },
    body: new URLSearchParams(form),
  });
  if (!answer.ok) throw new Error(`fake-stripe answered ${answer.status}`);
  return (await answer.json()) as { id: string; status: string };
}

/** Serves request `i` of a booking floor: what the app's verb does in SQL, nothing else. */
export function bookingFloor(database: FloorDatabase, config: Config) {
  const s = statements();
  const ids = uuidv7Ids();
  return async (set: BookingFloorSet, i: number): Promise<FloorAnswer> => {
    const request = set.requests[i];
    const listing = request && set.listings[request.listing];
    if (!request || !listing) return { status: 404, body: { error: "no such floor request" } };
    const values: Values = { ...request, listingId: listing.id };
    if (set.kind === "quote") {
      const rows = await s.listing.run(database.query, values);
      if ((await s.held.run(database.query, values)).length > 0) return { status: 409, body: {} };
      if ((await s.blocked.run(database.query, values)).length > 0) return { status: 409, body: {} };
      const days = await s.days.run(database.query, values);
      return { status: 200, body: { items: rows, days } };
    }
    const guest = set.guests[request.guest];
    if (!guest || (await s.session.run(database.query, guest)).length === 0) return { status: 401, body: {} };
    try {
      const row = await database.transaction(async (query) => {
        if ((await s.lockListing.run(query, values)).length === 0) throw new Refusal(404);
        if ((await s.held.run(query, values)).length > 0) throw new Refusal(409);
        if ((await s.blocked.run(query, values)).length > 0) throw new Refusal(409);
        await s.days.run(query, values);
        const now = new Date();
        const status = listing.instantBook ? "pending_payment" : "requested";
        const holdMinutes = listing.instantBook
          ? config.PAYMENT_WINDOW_MINUTES
          : config.HOST_RESPONSE_HOURS * 60;
        const booking = {
          ...values,
          id: ids.next(),
          guestId: guest.userId,
          hostId: listing.hostId,
          status,
          quote: listing.quote,
          message: null,
          holdExpiresAt: new Date(now.getTime() + holdMinutes * 60_000),
          createdAt: now,
          updatedAt: now,
        };
        const [inserted] = await s.insertBooking.run(query, booking);
        const at = new Date();
        await s.insertEvent.run(query, {
          id: ids.next(),
          bookingId: booking.id,
          actorId: guest.userId,
          actorRole: "guest",
          fromStatus: null,
          toStatus: status,
          reason: null,
          at,
        });
        const payload = {
          bookingId: booking.id,
          listingId: listing.id,
          from: null,
          to: status,
          at: at.toISOString(),
        };
        await s.insertOutbox.run(query, {
          id: ids.next(),
          topic: topics.bookingChanged,
          payload,
          createdAt: at,
          availableAt: at,
        });
        return { inserted, booking };
      });
      // The payment: its reads, the PaymentIntent through bare fetch (the form the SDK posts), its row.
      const { booking } = row;
      await s.booking.run(database.query, booking);
      await s.payment.run(database.query, booking);
      const quote = listing.quote as { total: number; currency: string };
      const captureMethod = listing.instantBook ? "automatic" : "manual";
      const intent = await createIntent(
        config,
        {
          amount: String(quote.total),
          currency: quote.currency.toLowerCase(),
          capture_method: captureMethod,
          "automatic_payment_methods[enabled]": "true",
          "metadata[bookingId]": booking.id,
        },
        `intent-${booking.id}`,
      );
      await s.insertPayment.run(database.query, {
        bookingId: booking.id,
        intentId: intent.id,
        amount: quote.total,
        currency: quote.currency,
        captureMethod,
        status: intent.status,
        createdAt: booking.createdAt,
        updatedAt: booking.createdAt,
      });
      return { status: 201, body: { items: [row.inserted] } };
    } catch (error) {
      if (error instanceof Refusal) return { status: error.status, body: {} };
      if ((error as { code?: string }).code === EXCLUSION_VIOLATION) return { status: 409, body: {} };
      throw error;
    }
  };
}
