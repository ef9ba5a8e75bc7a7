import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookings, idempotencyKeys } from "../../src/db/schema/index.ts";
import { sweepExpired } from "../../src/domain/maintenance/sweep-expired.ts";
import { requestFingerprint } from "../../src/http/middleware/idempotency.ts";
import * as authRoutes from "../../src/routes/auth/auth.routes.ts";
import * as routes from "../../src/routes/bookings/bookings.routes.ts";
import { expectStatus } from "../support/api.ts";
import { type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { createListing } from "../support/listing-factory.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Stays are in July 2026; the clock only moves forward, by hours at most.
const clock = manualClock(new Date("2026-06-01T12:00:00Z"));
let t: TestApp;
let host: SignedUpUser;
let guest: SignedUpUser;
let stranger: SignedUpUser;

beforeAll(async () => {
  t = await createTestApp({ deps: { clock } });
  [host, guest, stranger] = await Promise.all([signUp(t), signUp(t), signUp(t)]);
});
afterAll(() => t.close());

const db = () => t.db.database.connect().db;

const newListing = async () => (await createListing(t, host.accessToken, { instantBook: true })).id;

const stay = (listingId: string, checkIn = "2026-07-01", checkOut = "2026-07-04") => ({
  listingId,
  checkIn,
  checkOut,
  guests: 2,
});

const book = (token: string, key: string, body: ReturnType<typeof stay>) =>
  t.call(routes.createBooking, { token, body, headers: { "idempotency-key": key } });

const newKey = () => `key-${crypto.randomUUID()}`;

async function bookingsOf(listingId: string): Promise<number> {
  const [row] = await db().select({ n: count() }).from(bookings).where(eq(bookings.listingId, listingId));
  return row?.n ?? 0;
}

async function keyRow(user: SignedUpUser, key: string) {
  const [row] = await db()
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, `bookings.create:${user.id}`), eq(idempotencyKeys.key, key)));
  return row;
}

/** A new access token for `user` (the clock moved past the last one's expiry). */
async function signIn(user: SignedUpUser): Promise<string> {
  const answer = await t.call(authRoutes.login, { body: { email: user.email, password: user.password } });
  expectStatus(answer, 200);
  return answer.body.accessToken;
}

describe("POST /v1/bookings with an Idempotency-Key", () => {
  it("replays the first answer, status, body and Location, and books once", async () => {
    const listingId = await newListing();
    const key = newKey();
    const first = await book(guest.accessToken, key, stay(listingId));
    expectStatus(first, 201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();

    const again = await book(guest.accessToken, key, stay(listingId));
    expectStatus(again, 201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(`/v1/bookings/${first.body.id}`);
    expect(again.body).toEqual(first.body);
    expect(await bookingsOf(listingId)).toBe(1);
    // Recorded with the booking, in its transaction.
    expect(await keyRow(guest, key)).toMatchObject({
      responseStatus: 201,
      responseBody: { body: first.body },
    });
  });

  it("treats the same body with its keys in another order as the same request", async () => {
    const listingId = await newListing();
    const key = newKey();
    const first = await book(guest.accessToken, key, stay(listingId));
    expectStatus(first, 201);
    const { guests, checkOut, checkIn } = stay(listingId);
    const reordered = await t.call(routes.createBooking, {
      token: guest.accessToken,
      headers: { "idempotency-key": key },
      rawBody: JSON.stringify({ guests, checkOut, checkIn, listingId }),
    });
    expectStatus(reordered, 201);
    expect(reordered.headers.get("idempotent-replayed")).toBe("true");
    expect(reordered.body.id).toBe(first.body.id);
  });

  it("refuses the same key with another body with 422 IDEMPOTENCY_MISMATCH and changes nothing", async () => {
    const listingId = await newListing();
    const key = newKey();
    const first = await book(guest.accessToken, key, stay(listingId));
    expectStatus(first, 201);
    const kept = await keyRow(guest, key);

    const other = await book(guest.accessToken, key, stay(listingId, "2026-07-10", "2026-07-12"));
    expectStatus(other, 422);
    expect(other.body.code, other.text).toBe("IDEMPOTENCY_MISMATCH");
    expect(await bookingsOf(listingId)).toBe(1);
    expect(await keyRow(guest, key)).toEqual(kept);

    const replay = await book(guest.accessToken, key, stay(listingId));
    expectStatus(replay, 201);
    expect(replay.body).toEqual(first.body);
  });

  it("scopes a key to its user: another user with the same key gets a booking of their own", async () => {
    const listingId = await newListing();
    const key = newKey();
    const mine = await book(guest.accessToken, key, stay(listingId));
    const theirs = await book(stranger.accessToken, key, stay(listingId, "2026-07-10", "2026-07-12"));
    expectStatus(mine, 201);
    expectStatus(theirs, 201);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.guestId).toBe(stranger.id);
    expect(await bookingsOf(listingId)).toBe(2);
  });

  it("keeps no error answer: after a 409 or a 400 the same key may be sent again", async () => {
    const listingId = await newListing();
    expectStatus(await book(stranger.accessToken, newKey(), stay(listingId)), 201);
    const key = newKey();
    const taken = await book(guest.accessToken, key, stay(listingId));
    expectStatus(taken, 409);
    expect(taken.body.code).toBe("BOOKING_CONFLICT");
    expect(await keyRow(guest, key)).toBeUndefined();

    const invalid = await t.call(routes.createBooking, {
      token: guest.accessToken,
      headers: { "idempotency-key": key },
      invalidBody: { ...stay(listingId, "2026-07-10", "2026-07-12"), guests: 0 },
    });
    expectStatus(invalid, 400);
    expect(await keyRow(guest, key)).toBeUndefined();

    const fixed = await book(guest.accessToken, key, stay(listingId, "2026-07-10", "2026-07-12"));
    expectStatus(fixed, 201);
    expect(fixed.headers.get("idempotent-replayed")).toBeNull();
    expect(await bookingsOf(listingId)).toBe(2);
  });

  it.each([
    ["longer than 255 characters", "k".repeat(256)],
    ["empty", ""],
  ])("refuses a key %s with 400 naming header.idempotency-key", async (_, key) => {
    const listingId = await newListing();
    const answer = await book(guest.accessToken, key, stay(listingId));
    expectStatus(answer, 400);
    expect(answer.body.errors?.map((e) => e.location)).toEqual(["header.idempotency-key"]);
    expect(await bookingsOf(listingId)).toBe(0);
  });

  it("answers concurrent duplicates with one booking: the others replay it or get 409 CONFLICT", async () => {
    const listingId = await newListing();
    const key = newKey();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => book(guest.accessToken, key, stay(listingId))),
    );
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.every((s) => s === 201 || s === 409),
      answers.map((a) => a.text).join("\n"),
    ).toBe(true);
    expect(await bookingsOf(listingId)).toBe(1);
    const created = answers.flatMap((a) => (a.status === 201 ? [a] : []));
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    for (const a of answers) if (a.status === 409) expect(a.body.code, a.text).toBe("CONFLICT");

    const later = await book(guest.accessToken, key, stay(listingId));
    expectStatus(later, 201);
    expect(later.body.id).toBe(created[0]?.body.id);
  });

  it("answers 409 CONFLICT while a claim is pending, and takes over one abandoned for a minute", async () => {
    const listingId = await newListing();
    const key = newKey();
    const body = stay(listingId);
    const now = clock.now();
    // What a request that died after claiming the key leaves behind.
    await db()
      .insert(idempotencyKeys)
      .values({
        scope: `bookings.create:${guest.id}`,
        key,
        requestHash: await requestFingerprint("POST", "/v1/bookings", JSON.stringify(body)),
        createdAt: now,
        expiresAt: new Date(now.getTime() + 24 * HOUR),
      });
    const pending = await book(guest.accessToken, key, body);
    expectStatus(pending, 409);
    expect(pending.body.code).toBe("CONFLICT");
    expect(pending.headers.get("retry-after")).toBe("1");

    clock.advance(MINUTE + 1000);
    const retried = await book(guest.accessToken, key, body);
    expectStatus(retried, 201);
    expect(await bookingsOf(listingId)).toBe(1);
  });

  it("frees a key after 24 hours, and sweepExpired deletes it", async () => {
    const listingId = await newListing();
    const key = newKey();
    expectStatus(await book(guest.accessToken, key, stay(listingId)), 201);

    clock.advance(24 * HOUR + MINUTE);
    const token = await signIn(guest);
    const reused = await book(token, key, stay(listingId, "2026-07-10", "2026-07-12"));
    expectStatus(reused, 201);
    expect(reused.headers.get("idempotent-replayed")).toBeNull();
    expect(await bookingsOf(listingId)).toBe(2);

    clock.advance(24 * HOUR + MINUTE);
    const swept = await sweepExpired({ ctx: { db: db(), deps: t.deps } });
    expect(swept.idempotencyKeys).toBeGreaterThan(0);
    expect(await keyRow(guest, key)).toBeUndefined();
  });
});
