import { and, asc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { conversations, messages } from "../../src/db/schema/index.ts";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import * as routes from "../../src/routes/conversations/conversations.routes.ts";
import { expectStatus } from "../support/api.ts";
import { type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { insertListing } from "../support/factories.ts";
import { expectMessageInvariants } from "../support/message-invariants.ts";
import { type SignedInGuest, signInGuests } from "../support/payment-harness.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";
import { engine } from "../support/test-database.ts";

/**
 * Issue 18 (messages) on real PostgreSQL, where requests run at the same time (PGlite runs one
 * transaction at a time and would hide every race here): a guest's first enquiries sent at once
 * open one conversation, not two, and however many messages race, each conversation numbers them
 * 1..n without a gap or a repeat.
 */

const GUESTS = 12;
const AT_ONCE = 4;
const PASSWORD = "message racers share this password";
// The clock stands still, so access tokens stay valid.
const clock = manualClock(new Date("2026-06-01T12:00:00Z"));

describe.skipIf(engine !== "postgres")("messages sent at once (PostgreSQL)", () => {
  let t: TestApp;
  let host: SignedUpUser;
  let guests: SignedInGuest[];
  const db = () => t.db.database.connect().db;

  beforeAll(async () => {
    t = await createTestApp({ deps: { clock } });
    host = await signUp(t);
    guests = await signInGuests(t, GUESTS, PASSWORD);
  });
  afterEach(() => expectMessageInvariants(db()));
  afterAll(() => t?.close());

  const enquire = (token: string, listingId: string, text: string) =>
    t.call(routes.startConversation, { token, params: { id: listingId }, body: { text } });

  /** The request log lines of POSTs written since `from`: none a 5xx or a deadlock. */
  function expectCleanLog(from: number, requests: number) {
    const logged = t.logger.lines
      .slice(from)
      .filter((line) => line.message === "request" && line.method === "POST");
    expect(logged).toHaveLength(requests);
    expect(logged.filter((line) => Number(line.status) >= 500)).toEqual([]);
    expect(logged.filter((line) => line.sqlState === "40P01")).toEqual([]);
  }

  const conversationsOf = (listingId: string, guestId: string) =>
    db()
      .select()
      .from(conversations)
      .where(and(eq(conversations.listingId, listingId), eq(conversations.guestId, guestId)));

  const numbersIn = async (conversationId: string) =>
    (
      await db()
        .select({ seq: messages.seq })
        .from(messages)
        .where(eq(messages.conversationId, conversationId))
        .orderBy(asc(messages.seq))
    ).map((m) => m.seq);

  it(`opens one conversation per guest when each sends ${AT_ONCE} first enquiries at once`, async () => {
    const listing = await insertListing(db(), { hostId: host.id });
    const from = t.logger.lines.length;
    const answers = await Promise.all(
      guests.map((guest) =>
        Promise.all(
          Array.from({ length: AT_ONCE }, (_, i) => enquire(guest.token, listing.id, `question ${i + 1}`)),
        ),
      ),
    );
    expectCleanLog(from, GUESTS * AT_ONCE);
    for (const [g, guest] of guests.entries()) {
      const mine = answers[g] ?? [];
      for (const answer of mine) expectStatus(answer, 201);
      const ids = new Set(mine.map((answer) => (answer.status === 201 ? answer.body.conversationId : "")));
      expect(ids.size, guest.id).toBe(1);
      const rows = await conversationsOf(listing.id, guest.id);
      expect(rows.map((r) => r.id)).toEqual([...ids]);
      expect(rows[0]?.lastSeq).toBe(AT_ONCE);
      expect(await numbersIn(rows[0]?.id ?? "")).toEqual([1, 2, 3, 4]);
    }
  });

  it("lets an enquiry and a booking that race share one conversation", async () => {
    const from = t.logger.lines.length;
    const pairs = await Promise.all(
      guests.map(async (guest) => {
        const listing = await insertListing(db(), { hostId: host.id, instantBook: true });
        const [enquiry, booking] = await Promise.all([
          enquire(guest.token, listing.id, "Free then?"),
          t.call(bookingRoutes.createBooking, {
            token: guest.token,
            body: {
              listingId: listing.id,
              checkIn: "2026-07-01",
              checkOut: "2026-07-03",
              guests: 2,
              message: "Booked!",
            },
          }),
        ]);
        return { guest, listing, enquiry, booking };
      }),
    );
    expectCleanLog(from, 2 * GUESTS);
    for (const { guest, listing, enquiry, booking } of pairs) {
      expectStatus(enquiry, 201);
      expectStatus(booking, 201);
      expect(booking.body.conversationId).toBe(enquiry.body.conversationId);
      const rows = await conversationsOf(listing.id, guest.id);
      expect(rows).toHaveLength(1);
      expect(await numbersIn(enquiry.body.conversationId)).toEqual([1, 2]);
    }
  });

  it("numbers messages both sides send at once without a gap or a repeat, and counts them unread", async () => {
    const listing = await insertListing(db(), { hostId: host.id });
    const [guest] = guests;
    if (!guest) throw new Error("no guest");
    const first = await enquire(guest.token, listing.id, "Hello");
    expectStatus(first, 201);
    const { conversationId } = first.body;
    const from = t.logger.lines.length;
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        t.call(routes.sendMessage, {
          token: i % 2 === 0 ? guest.token : host.accessToken,
          params: { id: conversationId },
          body: { text: `message ${i}` },
        }),
      ),
    );
    expectCleanLog(from, 16);
    for (const answer of answers) expectStatus(answer, 201);
    expect(await numbersIn(conversationId)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    // Each side's read mark is its own newest message: what the other sent after it is unread.
    const rows = await db()
      .select({ seq: messages.seq, senderId: messages.senderId })
      .from(messages)
      .where(eq(messages.conversationId, conversationId));
    const unreadFor = (userId: string) => {
      const ownLast = Math.max(0, ...rows.filter((r) => r.senderId === userId).map((r) => r.seq));
      return rows.filter((r) => r.seq > ownLast).length;
    };
    for (const [who, token] of [
      [guest.id, guest.token],
      [host.id, host.accessToken],
    ] as const) {
      const read = await t.call(routes.getConversation, { token, params: { id: conversationId } });
      expectStatus(read, 200);
      expect(read.body.unreadCount, who).toBe(unreadFor(who));
    }
  });
});
