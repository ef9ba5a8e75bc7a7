import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { neonPort } from "../../src/db/neon.ts";
import { bookings } from "../../src/db/schema/index.ts";
import { listingBody } from "../support/listing-factory.ts";
import { call, hasDatabase, jsonOf, signUp } from "./worker-client.ts";

const NEEDS_DB = "(needs DATABASE_URL)";

interface Booking {
  id: string;
  status: string;
  holdExpiresAt: string | null;
}

interface Problem {
  status: number;
  code: string;
}

const calendarOf = (listingId: string) =>
  env.LISTING_CALENDAR.get(env.LISTING_CALENDAR.idFromName(listingId));
const alarmOf = (listingId: string) =>
  runInDurableObject(calendarOf(listingId), (_calendar, state) => state.storage.getAlarm());

describe.skipIf(!hasDatabase)(`bookings through the ListingCalendar Durable Object ${NEEDS_DB}`, () => {
  const port = neonPort(env.DATABASE_URL, env.NEON_LOCAL_PROXY);
  let hostToken: string;
  let guestToken: string;

  const newListing = async () =>
    (
      await jsonOf<{ id: string }>(
        await call("POST", "/v1/listings", hostToken, listingBody({ instantBook: true })),
        201,
      )
    ).id;
  const book = (listingId: string, checkIn: string, checkOut: string) =>
    call("POST", "/v1/bookings", guestToken, { listingId, checkIn, checkOut, guests: 2 });

  beforeAll(async () => {
    [hostToken, guestToken] = await Promise.all([signUp("Host"), signUp("Guest")]);
  });

  it("answers 20 concurrent requests for overlapping nights with one 201 and nineteen 409 BOOKING_CONFLICT", async () => {
    const listingId = await newListing();
    // Three different stays, each overlapping the other two (check-out is exclusive).
    const stays = [
      ["2027-05-10", "2027-05-13"],
      ["2027-05-11", "2027-05-14"],
      ["2027-05-12", "2027-05-15"],
    ] as const;
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const [checkIn, checkOut] = stays[i % stays.length] ?? stays[0];
        const response = await book(listingId, checkIn, checkOut);
        return { status: response.status, body: await response.text() };
      }),
    );
    const summary = JSON.stringify(answers);
    expect(
      answers.filter((a) => a.status === 201),
      summary,
    ).toHaveLength(1);
    const refused = answers.filter((a) => a.status === 409);
    expect(refused, summary).toHaveLength(19);
    for (const answer of refused) expect((JSON.parse(answer.body) as Problem).code).toBe("BOOKING_CONFLICT");

    const handle = port.connect();
    try {
      const held = await handle.db.select().from(bookings).where(eq(bookings.listingId, listingId));
      expect(held.map((b) => b.status)).toEqual(["pending_payment"]);
    } finally {
      await handle.release?.();
    }
  });

  it("holds a booking back while another isolate holds the listing's lock", async () => {
    const listingId = await newListing();
    const calendar = calendarOf(listingId);
    const token = await calendar.acquire(30_000);
    let answered = false;
    const pending = book(listingId, "2027-05-20", "2027-05-22").then((response) => {
      answered = true;
      return response;
    });
    // Far longer than a booking takes here: without the lock it would have been answered.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(answered).toBe(false);
    expect(await calendar.release(token)).toBe(true);
    await jsonOf<Booking>(await pending, 201);
  });

  it("expires a hold when the listing's alarm rings, and the nights can be booked again", async () => {
    const listingId = await newListing();
    const first = await jsonOf<Booking>(await book(listingId, "2027-06-01", "2027-06-04"), 201);
    expect(first.status).toBe("pending_payment");
    expect(await alarmOf(listingId)).toBe(Date.parse(first.holdExpiresAt ?? ""));
    await jsonOf<Problem>(await book(listingId, "2027-06-02", "2027-06-05"), 409);

    // The payment window runs out: the database (the source of truth) says the hold is over, and
    // the alarm rings now rather than in fifteen minutes.
    const handle = port.connect();
    try {
      await handle.db
        .update(bookings)
        .set({ holdExpiresAt: new Date(Date.now() - 1_000) })
        .where(eq(bookings.id, first.id));
    } finally {
      await handle.release?.();
    }
    expect(await runDurableObjectAlarm(calendarOf(listingId))).toBe(true);

    const expired = await jsonOf<Booking>(await call("GET", `/v1/bookings/${first.id}`, guestToken), 200);
    expect(expired.status).toBe("expired");
    const second = await jsonOf<Booking>(await book(listingId, "2027-06-02", "2027-06-05"), 201);
    expect(second.status).toBe("pending_payment");
    // Armed again: for the first hold's original time, then the new one.
    expect(await alarmOf(listingId)).not.toBeNull();
  });

  it("rebuilds its wake-up from the database when its records are lost", async () => {
    const listingId = await newListing();
    const booking = await jsonOf<Booking>(await book(listingId, "2027-07-01", "2027-07-03"), 201);
    await runInDurableObject(calendarOf(listingId), async (_calendar, state) => {
      state.storage.sql.exec("DELETE FROM wake");
      await state.storage.deleteAlarm();
    });
    expect(await alarmOf(listingId)).toBeNull();

    const next = await calendarOf(listingId).rebuild(listingId);
    expect(next).toBe(Date.parse(booking.holdExpiresAt ?? ""));
    expect(await alarmOf(listingId)).toBe(next);
  });
});

describe("the ListingCalendar lock", () => {
  const fresh = () => calendarOf(`lock-test-${crypto.randomUUID()}`);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

  it("hands the lock on when a holder's lease runs out, and ignores that holder's late release", async () => {
    const calendar = fresh();
    const dead = await calendar.acquire(300);
    const asked = Date.now();
    const next = await calendar.acquire(30_000);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(250);
    expect(next).not.toBe(dead);

    expect(await calendar.release(dead)).toBe(false);
    // Still held by `next`: a third caller waits for its release.
    let third: string | undefined;
    const waiting = calendar.acquire(30_000).then((token: string) => {
      third = token;
      return token;
    });
    await settle();
    expect(third).toBeUndefined();
    expect(await calendar.release(next)).toBe(true);
    expect(await calendar.release(await waiting)).toBe(true);
  });

  it("grants the lock in arrival order", async () => {
    const calendar = fresh();
    const first = await calendar.acquire(30_000);
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) =>
      calendar.acquire(30_000).then((token: string) => {
        order.push(n);
        return calendar.release(token);
      }),
    );
    await settle();
    expect(order).toEqual([]);
    await calendar.release(first);
    expect(await Promise.all(waiters)).toEqual([true, true, true]);
    expect(order).toEqual([1, 2, 3]);
  });
});
