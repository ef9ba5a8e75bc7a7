import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bookings, messages, outbox } from "../../src/db/schema/index.ts";
import { confirmPayment } from "../../src/domain/bookings/confirm-payment.ts";
import { EMAIL_HIDDEN, PHONE_HIDDEN } from "../../src/domain/messages/contact-details.ts";
import { runJob } from "../../src/jobs.ts";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import * as routes from "../../src/routes/conversations/conversations.routes.ts";
import { expectStatus } from "../support/api.ts";
import { type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { graphql } from "../support/graphql.ts";
import { createListing, type NewListing } from "../support/listing-factory.ts";
import { expectMessageInvariants } from "../support/message-invariants.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

/**
 * Issue 18 (messages): one conversation per guest and listing, opened by an enquiry or a booking;
 * unread counts, read marks, pages both ways; contact details hidden from the recipient until a
 * booking is confirmed; only the two sides and admins see a conversation.
 *
 * One clock for the file, moved a second at a time so that activity has an order (and never far:
 * access tokens live 15 minutes). The invariants are asked of the whole database after each test.
 */

const SECOND = 1000;
const ADMIN_EMAIL = "messages-admin@example.com";
const clock = manualClock(new Date("2026-06-01T12:00:00Z"));
let t: TestApp;
let host: SignedUpUser;
let guest: SignedUpUser;
let stranger: SignedUpUser;
let admin: SignedUpUser;

const db = () => t.db.database.connect().db;
const tick = () => clock.advance(SECOND);

beforeAll(async () => {
  t = await createTestApp({ env: { ADMIN_EMAIL }, deps: { clock } });
  [host, guest, stranger, admin] = await Promise.all([
    signUp(t),
    signUp(t),
    signUp(t),
    signUp(t, { email: ADMIN_EMAIL }),
  ]);
});
afterEach(() => expectMessageInvariants(db()));
afterAll(() => t?.close());

async function newListing(owner = host, overrides: Partial<NewListing> = {}) {
  return (await createListing(t, owner.accessToken, { instantBook: true, ...overrides })).id;
}

const enquire = (by: SignedUpUser, listingId: string, text: string) =>
  t.call(routes.startConversation, { token: by.accessToken, params: { id: listingId }, body: { text } });

async function enquired(by: SignedUpUser, listingId: string, text = "Is it free in July?") {
  tick();
  const answer = await enquire(by, listingId, text);
  expectStatus(answer, 201);
  return answer.body;
}

const send = (by: SignedUpUser, conversationId: string, text: string) =>
  t.call(routes.sendMessage, { token: by.accessToken, params: { id: conversationId }, body: { text } });

async function sent(by: SignedUpUser, conversationId: string, text: string) {
  tick();
  const answer = await send(by, conversationId, text);
  expectStatus(answer, 201);
  return answer.body;
}

const getConversation = (by: SignedUpUser, id: string, query: Record<string, string | number> = {}) =>
  t.call(routes.getConversation, { token: by.accessToken, params: { id }, query });

async function conversation(by: SignedUpUser, id: string, query: Record<string, string | number> = {}) {
  const answer = await getConversation(by, id, query);
  expectStatus(answer, 200);
  return answer.body;
}

async function listMine(by: SignedUpUser, query: Record<string, string | number> = {}) {
  const answer = await t.call(routes.listConversations, { token: by.accessToken, query });
  expectStatus(answer, 200);
  return answer.body;
}

/** Every page of `by`'s conversations, `limit` at a time. */
async function allMine(by: SignedUpUser, query: Record<string, string | number> = {}) {
  const seen: Awaited<ReturnType<typeof listMine>>["items"] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listMine>> = await listMine(by, {
      ...query,
      ...(cursor && { cursor }),
    });
    seen.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

const markRead = (by: SignedUpUser, id: string, body?: { upTo?: string }) =>
  t.call(routes.markConversationRead, {
    token: by.accessToken,
    params: { id },
    ...(body && { body }),
  });

async function book(
  by: SignedUpUser,
  listingId: string,
  checkIn: string,
  checkOut: string,
  message?: string,
) {
  tick();
  const answer = await t.call(bookingRoutes.createBooking, {
    token: by.accessToken,
    body: { listingId, checkIn, checkOut, guests: 2, ...(message !== undefined && { message }) },
  });
  expectStatus(answer, 201);
  return answer.body;
}

const confirm = (bookingId: string) =>
  confirmPayment({ ctx: { db: db(), deps: t.deps }, input: { bookingId, reference: "test" } });

describe("conversations.start", () => {
  it("opens a conversation with the listing's host and answers the message, stored as sent", async () => {
    const listingId = await newListing();
    const text = "  Bonjour 👋🏽!\n\nIs the flat free from 1 July?  ";
    const message = await enquired(guest, listingId, text);
    expect(message).toMatchObject({ senderId: guest.id, text, masked: false });
    const [row] = await db().select().from(messages).where(eq(messages.id, message.id));
    expect(row?.text).toBe(text);
    const read = await conversation(host, message.conversationId);
    expect(read).toMatchObject({
      id: message.conversationId,
      listingId,
      guestId: guest.id,
      hostId: host.id,
      contactDetailsShared: false,
      unreadCount: 1,
    });
    expect(read.messages.map((m) => m.text)).toEqual([text]);
  });

  it("goes on in the same conversation on a second enquiry", async () => {
    const listingId = await newListing();
    const first = await enquired(guest, listingId, "First question");
    const second = await enquired(guest, listingId, "Second question");
    expect(second.conversationId).toBe(first.conversationId);
    const read = await conversation(guest, first.conversationId);
    expect(read.messages.map((m) => m.text)).toEqual(["Second question", "First question"]);
    expect(await allMine(guest, { as: "guest" })).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: first.conversationId })]),
    );
  });

  it("refuses the host their own listing (403), and a draft or unknown listing (404)", async () => {
    const listingId = await newListing();
    const own = await enquire(host, listingId, "Hello me");
    expectStatus(own, 403);
    expect(own.body.code).toBe("FORBIDDEN");
    const draft = await newListing(host, { status: "draft" });
    expectStatus(await enquire(guest, draft, "Hello?"), 404);
    expectStatus(await enquire(guest, crypto.randomUUID(), "Hello?"), 404);
  });

  it("counts text in code points: 2,000 emoji pass, 2,001 characters do not", async () => {
    const listingId = await newListing();
    const emoji = "😀".repeat(2000);
    expect(emoji.length).toBe(4000);
    const long = await enquired(guest, listingId, emoji);
    expect(long.text).toBe(emoji);
    const tooLong = await enquire(guest, listingId, "a".repeat(2001));
    expectStatus(tooLong, 400);
    expect(tooLong.body.errors).toEqual([{ location: "body.text", message: "At most 2000 characters" }]);
  });

  it.each([
    ["empty", { text: "" }, "body.text"],
    ["blank", { text: " \n\t " }, "body.text"],
    ["missing", {}, "body.text"],
    ["not text", { text: 42 }, "body.text"],
    ["holding NUL", { text: "a\u0000b" }, "body.text"],
    ["holding a lone surrogate", { text: "a\ud800b" }, "body.text"],
    ["with an unknown key", { text: "Hi", to: "host" }, "body.to"],
  ])("refuses a text %s with 400 naming the field", async (_, body, location) => {
    const listingId = await newListing();
    const answer = await t.call(routes.startConversation, {
      token: guest.accessToken,
      params: { id: listingId },
      invalidBody: body,
    });
    expectStatus(answer, 400);
    expect(answer.body.code).toBe("VALIDATION_FAILED");
    expect(answer.body.errors?.map((e) => e.location)).toContain(location);
  });

  it("replays an answer for a repeated Idempotency-Key, sending nothing more", async () => {
    const listingId = await newListing();
    const call = () =>
      t.call(routes.startConversation, {
        token: guest.accessToken,
        params: { id: listingId },
        headers: { "idempotency-key": `enquiry-${listingId}` },
        body: { text: "Sent once" },
      });
    const first = await call();
    const again = await call();
    expectStatus(first, 201);
    expectStatus(again, 201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect((await conversation(guest, first.body.conversationId)).messages).toHaveLength(1);
  });
});

describe("messages.send", () => {
  it("lets the guest and the host write, and leaves a message.sent outbox message with each", async () => {
    const listingId = await newListing();
    const { conversationId } = await enquired(guest, listingId, "Pets allowed?");
    const reply = await sent(host, conversationId, "One small dog is fine.");
    expect(reply).toMatchObject({ conversationId, senderId: host.id, masked: false });
    const rows = await db().select().from(outbox).where(eq(outbox.topic, "message.sent"));
    const payload = rows
      .map((r) => r.payload as Record<string, string>)
      .find((p) => p.messageId === reply.id);
    expect(payload).toEqual({
      conversationId,
      messageId: reply.id,
      listingId,
      senderId: host.id,
      recipientId: guest.id,
      at: reply.createdAt,
    });
    // Its job asks for a mail to the recipient when the message's 15-minute window ends (ids, no
    // text: the mail reads the messages then, as the recipient may see them).
    await runJob({ id: "job-1", topic: "message.sent", payload }, t.deps);
    const due = await db().select().from(outbox).where(eq(outbox.topic, "notifications.messages-due"));
    const mailDue = due.find((row) => (row.payload as { recipientId: string }).recipientId === guest.id);
    expect(mailDue?.payload).toMatchObject({ conversationId, recipientId: guest.id });
    expect(JSON.stringify(mailDue)).not.toContain("small dog");
  });

  it("is 404 for strangers and unknown conversations, 403 for an admin, 401 without a token", async () => {
    const listingId = await newListing();
    const { conversationId } = await enquired(guest, listingId);
    const strangers = await send(stranger, conversationId, "Hi there");
    expectStatus(strangers, 404);
    expect(strangers.body.code).toBe("NOT_FOUND");
    expectStatus(await send(guest, crypto.randomUUID(), "Hi there"), 404);
    const admins = await send(admin, conversationId, "Moderator here");
    expectStatus(admins, 403);
    expect(admins.body.code).toBe("FORBIDDEN");
    expectStatus(
      await t.call(routes.sendMessage, { params: { id: conversationId }, body: { text: "Hi" } }),
      401,
    );
    expect((await conversation(guest, conversationId)).messages).toHaveLength(1);
  });

  it("limits a sender to 20 messages a minute, enquiries included: 429 with Retry-After", async () => {
    const chatty = await signUp(t);
    const listingId = await newListing();
    const { conversationId } = await enquired(chatty, listingId, "1");
    for (let i = 2; i <= 20; i++) expectStatus(await send(chatty, conversationId, String(i)), 201);
    const limited = await send(chatty, conversationId, "21");
    expectStatus(limited, 429);
    expect(limited.body.code).toBe("RATE_LIMITED");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expectStatus(await enquire(chatty, await newListing(), "Another listing?"), 429);
    // The other side is not limited by it.
    expectStatus(await send(host, conversationId, "Slow down!"), 201);
    clock.advance(2 * 60 * SECOND);
    expectStatus(await send(chatty, conversationId, "Sorry"), 201);
    expect((await conversation(chatty, conversationId, { limit: 100 })).messages).toHaveLength(22);
  });
  it("counts a booking's message against the same limit; a booking without one is not limited", async () => {
    const chatty = await signUp(t);
    const { conversationId } = await enquired(chatty, await newListing(), "1");
    for (let i = 2; i <= 20; i++) expectStatus(await send(chatty, conversationId, String(i)), 201);
    const stay = { listingId: await newListing(), checkIn: "2026-07-01", checkOut: "2026-07-03", guests: 2 };
    const withMessage = await t.call(bookingRoutes.createBooking, {
      token: chatty.accessToken,
      body: { ...stay, message: "Booking, and a word" },
    });
    expectStatus(withMessage, 429);
    expect(withMessage.body.code).toBe("RATE_LIMITED");
    expect(withMessage.headers.get("retry-after")).toMatch(/^\d+$/);
    expectStatus(await t.call(bookingRoutes.createBooking, { token: chatty.accessToken, body: stay }), 201);
  });
});

describe("conversations.get", () => {
  it("pages its messages newest first, and refuses a cursor of another conversation", async () => {
    const listingId = await newListing();
    const { conversationId } = await enquired(guest, listingId, "m1");
    for (let i = 2; i <= 7; i++) await sent(i % 2 === 0 ? host : guest, conversationId, `m${i}`);
    const texts: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof conversation>> = await conversation(guest, conversationId, {
        limit: 3,
        ...(cursor && { cursor }),
      });
      texts.push(...page.messages.map((m) => m.text));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(texts).toEqual(["m7", "m6", "m5", "m4", "m3", "m2", "m1"]);
    expect(pages).toBe(3);

    const second = await conversation(guest, conversationId, { limit: 3 });
    const other = await enquired(guest, await newListing(), "elsewhere");
    const misplaced = await getConversation(guest, other.conversationId, { cursor: second.nextCursor ?? "" });
    expectStatus(misplaced, 400);
    expect(misplaced.body.errors?.map((e) => e.location)).toEqual(["query.cursor"]);
    const forged = await getConversation(guest, conversationId, {
      cursor: Buffer.from(JSON.stringify({ c: conversationId, s: 2.5 })).toString("base64url"),
    });
    expectStatus(forged, 400);
    expect(forged.body.errors?.map((e) => e.location)).toEqual(["query.cursor"]);
  });

  it("shows a conversation to its two sides and admins only: 404 for anyone else", async () => {
    const listingId = await newListing();
    const { conversationId } = await enquired(guest, listingId);
    expectStatus(await getConversation(guest, conversationId), 200);
    expectStatus(await getConversation(host, conversationId), 200);
    const admins = await getConversation(admin, conversationId);
    expectStatus(admins, 200);
    expect(admins.body.unreadCount).toBe(0);
    const strangers = await getConversation(stranger, conversationId);
    expectStatus(strangers, 404);
    expect(strangers.body.code).toBe("NOT_FOUND");
    expectStatus(await getConversation(guest, crypto.randomUUID()), 404);
    expect(await allMine(stranger)).toEqual([]);
    expectStatus(await markRead(stranger, conversationId), 404);
  });
});

describe("who may see a conversation", () => {
  it("is 404 to the host of another listing and another guest, on every operation", async () => {
    // Its own guest: the file's one has sent enough this minute (20 a minute).
    const asker = await signUp(t);
    const listingId = await newListing();
    const { conversationId, id } = await enquired(asker, listingId, "Only for my host");
    const otherHost = await signUp(t);
    await newListing(otherHost);
    const otherGuest = await signUp(t);
    await enquired(otherGuest, listingId, "My own question");
    for (const who of [otherHost, otherGuest]) {
      for (const answer of [
        await getConversation(who, conversationId),
        await send(who, conversationId, "Let me in"),
        await markRead(who, conversationId, { upTo: id }),
      ]) {
        expectStatus(answer, 404);
        expect(answer.body).toMatchObject({ code: "NOT_FOUND", status: 404 });
      }
      expect((await allMine(who)).map((c) => c.id)).not.toContain(conversationId);
    }
    expect((await conversation(asker, conversationId)).messages.map((m) => m.text)).toEqual([
      "Only for my host",
    ]);
  });

  it("is 401 without a token, before it says whether the conversation exists", async () => {
    const { conversationId } = await enquired(await signUp(t), await newListing());
    for (const answer of [
      await t.call(routes.getConversation, { params: { id: conversationId } }),
      await t.call(routes.getConversation, { params: { id: crypto.randomUUID() } }),
      await t.call(routes.listConversations, {}),
      await t.call(routes.markConversationRead, { params: { id: conversationId } }),
      await t.call(routes.startConversation, { params: { id: await newListing() }, body: { text: "Hi" } }),
    ]) {
      expectStatus(answer, 401);
      expect(answer.body.code).toBe("UNAUTHENTICATED");
    }
  });
});

describe("cursors", () => {
  const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

  it("pages conversations whose last activity is the same instant in id order, none twice or missed", async () => {
    const both = await signUp(t);
    const own = [await newListing(both), await newListing(both)];
    const others = [await newListing(), await newListing(), await newListing()];
    tick();
    // The clock stands still: every conversation below has the same last activity.
    const ids = [
      ...(await Promise.all(others.map((l) => enquire(both, l, "same instant")))),
      ...(await Promise.all(own.map(async (l) => enquire(await signUp(t), l, "same instant")))),
    ].map((answer) => {
      expectStatus(answer, 201);
      return answer.body.conversationId;
    });
    const expected = [...ids].sort().reverse();
    for (const limit of [1, 2, 4]) {
      expect((await allMine(both, { limit })).map((c) => c.id)).toEqual(expected);
    }
    expect((await allMine(both, { as: "guest", limit: 1 })).map((c) => c.id)).toEqual(
      expected.filter((id) => ids.indexOf(id) < others.length),
    );
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["JSON that is not a position", encoded([1, 2])],
    ["a date that is not one", encoded({ c: "2026-02-30T00:00:00.000Z", i: crypto.randomUUID() })],
    ["a year PostgreSQL has not", encoded({ c: "0000-06-01T12:00:00.000Z", i: crypto.randomUUID() })],
    ["an id that is not a UUID", encoded({ c: "2026-06-01T12:00:00.000Z", i: "1' or '1'='1" })],
    ["NUL in the id", encoded({ c: "2026-06-01T12:00:00.000Z", i: "\u0000" })],
    ["too long", "a".repeat(513)],
  ])("refuses a conversations.listMine cursor %s: 400 on query.cursor", async (_, cursor) => {
    const answer = await t.call(routes.listConversations, { token: guest.accessToken, query: { cursor } });
    expectStatus(answer, 400);
    expect(answer.body.code).toBe("VALIDATION_FAILED");
    expect(answer.body.errors?.map((e) => e.location)).toEqual(["query.cursor"]);
  });

  it("refuses a conversations.get cursor that is not a message number of this conversation", async () => {
    const asker = await signUp(t);
    const { conversationId } = await enquired(asker, await newListing(), "m1");
    const refused = [
      encoded({ c: conversationId, s: 1 }),
      encoded({ c: conversationId, s: "3" }),
      encoded({ c: conversationId, s: 2 ** 31 }),
      encoded({ c: conversationId, s: -5 }),
      encoded({ c: conversationId }),
      encoded({ s: 3 }),
      encoded("just text"),
      "not/base64",
    ];
    for (const cursor of refused) {
      const answer = await getConversation(asker, conversationId, { cursor });
      expectStatus(answer, 400);
      expect(
        answer.body.errors?.map((e) => e.location),
        cursor,
      ).toEqual(["query.cursor"]);
    }
    // The largest number a message could have is a cursor it could hand out: nothing older is shown.
    const far = await conversation(asker, conversationId, {
      cursor: encoded({ c: conversationId, s: 2 ** 31 - 1 }),
    });
    expect(far.messages.map((m) => m.text)).toEqual(["m1"]);
  });
});

describe("conversations.listMine", () => {
  it("lists the caller's conversations as guest and as host, newest activity first, page by page", async () => {
    const both = await signUp(t);
    const [a, b] = [await newListing(), await newListing()];
    const own = await newListing(both);
    const first = await enquired(both, a, "as guest, first");
    const second = await enquired(both, b, "as guest, second");
    const hosted = await enquired(guest, own, "to both, as host");
    // New activity moves the first to the top.
    await sent(host, first.conversationId, "answer to the first");
    const expected = [first.conversationId, hosted.conversationId, second.conversationId];
    expect((await allMine(both, { limit: 1 })).map((c) => c.id)).toEqual(expected);
    expect((await allMine(both, { limit: 2 })).map((c) => c.id)).toEqual(expected);
    expect((await listMine(both)).items.map((c) => c.id)).toEqual(expected);
    expect((await allMine(both, { as: "guest", limit: 1 })).map((c) => c.id)).toEqual([
      first.conversationId,
      second.conversationId,
    ]);
    expect((await allMine(both, { as: "host" })).map((c) => c.id)).toEqual([hosted.conversationId]);
  });

  it("gives each its unread count for the caller and a preview of its newest message", async () => {
    const listingId = await newListing();
    const long = `${"Ä".repeat(99)}😀 and more`;
    const { conversationId } = await enquired(guest, listingId, "Hello");
    await sent(guest, conversationId, long);
    const forHost = (await allMine(host)).find((c) => c.id === conversationId);
    expect(forHost?.unreadCount).toBe(2);
    expect(forHost?.lastMessage).toMatchObject({ senderId: guest.id, preview: `${"Ä".repeat(99)}😀…` });
    const forGuest = (await allMine(guest)).find((c) => c.id === conversationId);
    expect(forGuest?.unreadCount).toBe(0);
    await sent(host, conversationId, "Hi!");
    expect((await allMine(guest)).find((c) => c.id === conversationId)?.unreadCount).toBe(1);
    expect((await allMine(host)).find((c) => c.id === conversationId)).toMatchObject({
      unreadCount: 0,
      lastMessage: { preview: "Hi!", masked: false },
    });
  });
});

describe("conversations.markRead", () => {
  it("marks all read without a body, up to a message with one, and never moves back", async () => {
    const listingId = await newListing();
    const m1 = await enquired(guest, listingId, "one");
    const { conversationId } = m1;
    const m2 = await sent(guest, conversationId, "two");
    await sent(guest, conversationId, "three");
    const upToOne = await markRead(host, conversationId, { upTo: m1.id });
    expectStatus(upToOne, 200);
    expect(upToOne.body.unreadCount).toBe(2);
    const upToTwo = await markRead(host, conversationId, { upTo: m2.id });
    expectStatus(upToTwo, 200);
    expect(upToTwo.body.unreadCount).toBe(1);
    const back = await markRead(host, conversationId, { upTo: m1.id });
    expectStatus(back, 200);
    expect(back.body.unreadCount).toBe(1);
    const all = await markRead(host, conversationId);
    expectStatus(all, 200);
    expect(all.body.unreadCount).toBe(0);
    // The guest's own messages were never unread to them.
    const guests = await markRead(guest, conversationId, { upTo: m1.id });
    expectStatus(guests, 200);
    expect(guests.body.unreadCount).toBe(0);
  });

  it("refuses a message of another conversation (400 on upTo), an admin (403), a stranger (404)", async () => {
    const { conversationId } = await enquired(guest, await newListing());
    const elsewhere = await enquired(guest, await newListing());
    const wrong = await markRead(host, conversationId, { upTo: elsewhere.id });
    expectStatus(wrong, 400);
    expect(wrong.body.errors).toEqual([
      { location: "body.upTo", message: "No message with this id in this conversation" },
    ]);
    expectStatus(await markRead(admin, conversationId), 403);
    expectStatus(await markRead(stranger, conversationId), 404);
  });
});

describe("contact details", () => {
  const text = "Call me on +33 6 12 34 56 78 or write to jane.doe@example.com. Arriving 2026-07-10.";
  const masked = `Call me on ${PHONE_HIDDEN} or write to ${EMAIL_HIDDEN}. Arriving 2026-07-10.`;

  async function views(conversationId: string) {
    const [forHost, forGuest, forAdmin] = await Promise.all(
      [host, guest, admin].map((who) => conversation(who, conversationId)),
    );
    const textOf = (read: typeof forHost) => read?.messages.find((m) => m.senderId === guest.id);
    return { forHost, forGuest, forAdmin, hostSees: textOf(forHost), guestSees: textOf(forGuest) };
  }

  it("hides them from the recipient until a booking is confirmed; the sender and admins see them", async () => {
    const listingId = await newListing();
    const { conversationId, id } = await enquired(guest, listingId, text);
    const before = await views(conversationId);
    expect(before.hostSees).toMatchObject({ text: masked, masked: true });
    expect(before.guestSees).toMatchObject({ text, masked: false });
    expect(before.forAdmin?.messages[0]).toMatchObject({ text, masked: false });
    expect(before.forHost?.contactDetailsShared).toBe(false);
    const preview = (await allMine(host)).find((c) => c.id === conversationId)?.lastMessage;
    expect(preview).toMatchObject({ preview: masked, masked: true });
    const [stored] = await db().select().from(messages).where(eq(messages.id, id));
    expect(stored?.text).toBe(text);

    // The host's reply with their own number is hidden from the guest in the same way.
    const reply = await sent(host, conversationId, "Or call me: 0612345678");
    expect(reply.text).toBe("Or call me: 0612345678");
    const guestView = await conversation(guest, conversationId);
    expect(guestView.messages[0]).toMatchObject({ text: `Or call me: ${PHONE_HIDDEN}`, masked: true });

    // A booking waiting for payment shares nothing yet; once confirmed, both sides see all.
    const booking = await book(guest, listingId, "2026-07-10", "2026-07-12");
    expect((await views(conversationId)).hostSees).toMatchObject({ text: masked, masked: true });
    await confirm(booking.id);
    const after = await views(conversationId);
    expect(after.hostSees).toMatchObject({ text, masked: false });
    expect(after.forHost?.contactDetailsShared).toBe(true);
    expect(after.forGuest?.messages[0]).toMatchObject({ text: "Or call me: 0612345678", masked: false });
    const shared = (await allMine(host)).find((c) => c.id === conversationId);
    expect(shared).toMatchObject({ contactDetailsShared: true, lastMessage: { masked: false } });

    // Cancelled, the stay no longer shares them.
    const cancelled = await t.call(bookingRoutes.cancelBooking, {
      token: guest.accessToken,
      params: { id: booking.id },
    });
    expectStatus(cancelled, 200);
    expect((await views(conversationId)).hostSees).toMatchObject({ text: masked, masked: true });
  });

  it("shows them once a stay is completed, and not for another guest's confirmed booking", async () => {
    const listingId = await newListing();
    const { conversationId } = await enquired(guest, listingId, text);
    const others = await book(stranger, listingId, "2026-07-20", "2026-07-22");
    await confirm(others.id);
    expect((await views(conversationId)).hostSees).toMatchObject({ masked: true });
    const stay = await book(guest, listingId, "2026-07-10", "2026-07-12");
    await db().update(bookings).set({ status: "completed" }).where(eq(bookings.id, stay.id));
    expect((await views(conversationId)).hostSees).toMatchObject({ text, masked: false });
  });
});

describe("bookings and conversations", () => {
  it("joins the enquiry's conversation, whose message the booking's becomes", async () => {
    const listingId = await newListing();
    const enquiry = await enquired(guest, listingId, "Free in July?");
    const booking = await book(guest, listingId, "2026-07-01", "2026-07-03", "Arriving by train around six.");
    expect(booking.conversationId).toBe(enquiry.conversationId);
    const read = await conversation(host, enquiry.conversationId);
    expect(read.messages.map((m) => [m.senderId, m.text])).toEqual([
      [guest.id, "Arriving by train around six."],
      [guest.id, "Free in July?"],
    ]);
    expect(read.unreadCount).toBe(2);
    const fetched = await t.call(bookingRoutes.getBooking, {
      token: host.accessToken,
      params: { id: booking.id },
    });
    expectStatus(fetched, 200);
    expect(fetched.body.conversationId).toBe(enquiry.conversationId);
  });

  it("opens a conversation for a booking without an enquiry, empty without a message", async () => {
    const newcomer = await signUp(t);
    const listingId = await newListing();
    const booking = await book(newcomer, listingId, "2026-07-05", "2026-07-07");
    expect(booking.conversationId).toEqual(expect.any(String));
    const [mine] = await allMine(newcomer);
    expect(mine).toMatchObject({ id: booking.conversationId, listingId, lastMessage: null, unreadCount: 0 });
    const enquiry = await enquired(newcomer, listingId, "Can we check in early?");
    expect(enquiry.conversationId).toBe(booking.conversationId);
    const again = await book(newcomer, listingId, "2026-07-20", "2026-07-22");
    expect(again.conversationId).toBe(booking.conversationId);
    const counted = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(bookings)
      .where(eq(bookings.conversationId, booking.conversationId ?? ""));
    expect(counted[0]?.n).toBe(2);
  });
});

describe("the message of a booking", () => {
  const text = "Call me on +33 6 12 34 56 78 or write to jane.doe@example.com. Arriving 2026-07-10.";
  const masked = `Call me on ${PHONE_HIDDEN} or write to ${EMAIL_HIDDEN}. Arriving 2026-07-10.`;
  // A guest of its own for each test: messages are limited to 20 a minute per sender.
  let writer: SignedUpUser;
  beforeEach(async () => {
    writer = await signUp(t);
  });

  /** The booking's `message` as `who` reads it: bookings.get, bookings.list and GraphQL `booking`. */
  async function messageFor(who: SignedUpUser, bookingId: string, as: "guest" | "host") {
    const got = await t.call(bookingRoutes.getBooking, { token: who.accessToken, params: { id: bookingId } });
    expectStatus(got, 200);
    const listed = await t.call(bookingRoutes.listBookings, {
      token: who.accessToken,
      query: { as, limit: 100 },
    });
    expectStatus(listed, 200);
    const inList = listed.body.items.find((b) => b.id === bookingId);
    const gql = await graphql<{ booking: { message: string | null } | null }>(
      t,
      `{ booking(id: "${bookingId}") { message } }`,
      { token: who.accessToken },
    );
    expect(gql.errors, gql.text).toBeUndefined();
    expect([inList?.message, gql.data?.booking?.message]).toEqual([got.body.message, got.body.message]);
    return got.body.message;
  }

  it("shows its host contact details hidden until the stay is confirmed, as the conversation does", async () => {
    const listingId = await newListing(host, { instantBook: false });
    const booking = await book(writer, listingId, "2026-08-01", "2026-08-03", text);
    // The guest sees what they wrote, in the answer and after.
    expect(booking.message).toBe(text);
    expect(await messageFor(writer, booking.id, "guest")).toBe(text);
    expect(await messageFor(host, booking.id, "host")).toBe(masked);
    const asAdmin = await t.call(bookingRoutes.getBooking, {
      token: admin.accessToken,
      params: { id: booking.id },
    });
    expectStatus(asAdmin, 200);
    expect(asAdmin.body.message).toBe(text);
    // The conversation's copy of it reads the same for the host.
    const read = await conversation(host, booking.conversationId ?? "");
    expect(read.messages[0]).toMatchObject({ text: masked, masked: true });

    // Accepted, it waits for payment: nothing shared yet, not even in the host's own answer.
    tick();
    const accepted = await t.call(bookingRoutes.acceptBooking, {
      token: host.accessToken,
      params: { id: booking.id },
    });
    expectStatus(accepted, 200);
    expect(accepted.body).toMatchObject({ status: "pending_payment", message: masked });

    await confirm(booking.id);
    expect(await messageFor(host, booking.id, "host")).toBe(text);
    expect(await messageFor(writer, booking.id, "guest")).toBe(text);

    // Cancelled, the host sees it hidden again (see contactSharingStatuses), in the answer too.
    tick();
    const cancelled = await t.call(bookingRoutes.cancelBooking, {
      token: host.accessToken,
      params: { id: booking.id },
    });
    expectStatus(cancelled, 200);
    expect(cancelled.body.message).toBe(masked);
    expect(await messageFor(host, booking.id, "host")).toBe(masked);
    const [stored] = await db().select().from(bookings).where(eq(bookings.id, booking.id));
    expect(stored?.message).toBe(text);
  });

  it("shows an earlier request's message once another booking of the guest there is confirmed", async () => {
    const listingId = await newListing();
    const first = await book(writer, listingId, "2026-08-10", "2026-08-12", text);
    expect(await messageFor(host, first.id, "host")).toBe(masked);
    const second = await book(writer, listingId, "2026-08-20", "2026-08-22");
    await confirm(second.id);
    expect(await messageFor(host, first.id, "host")).toBe(text);
    // Another guest's confirmed stay at the listing shares nothing of this one.
    const other = await signUp(t);
    const theirs = await book(other, listingId, "2026-09-01", "2026-09-03", text);
    const stranger2 = await book(stranger, listingId, "2026-09-10", "2026-09-12");
    await confirm(stranger2.id);
    expect(await messageFor(host, theirs.id, "host")).toBe(masked);
  });

  it("is stored and sent to the conversation as written, by the rules of a message", async () => {
    const listingId = await newListing();
    const spaced = "  Arriving late 🌙\n  ";
    const booking = await book(writer, listingId, "2026-08-01", "2026-08-03", spaced);
    expect(booking.message).toBe(spaced);
    const read = await conversation(host, booking.conversationId ?? "");
    expect(read.messages[0]?.text).toBe(spaced);
    const emoji = await book(writer, listingId, "2026-08-05", "2026-08-07", "😀".repeat(2000));
    expect(emoji.message).toBe("😀".repeat(2000));
    const tooLong = await t.call(bookingRoutes.createBooking, {
      token: writer.accessToken,
      body: {
        listingId,
        checkIn: "2026-08-10",
        checkOut: "2026-08-12",
        guests: 2,
        message: "a".repeat(2001),
      },
    });
    expectStatus(tooLong, 400);
    expect(tooLong.body.errors).toContainEqual({
      location: "body.message",
      message: "At most 2000 characters",
    });
    // Blank is no message, as it was before messages had rules: nothing is sent to the conversation.
    for (const [message, checkIn, checkOut] of [
      [" \n ", "2026-08-10", "2026-08-12"],
      ["", "2026-08-14", "2026-08-16"],
    ] as const) {
      const quiet = await book(writer, listingId, checkIn, checkOut, message);
      expect(quiet.message).toBeNull();
      const read = await conversation(host, quiet.conversationId ?? "");
      expect(read.messages.map((m) => m.text)).not.toContain(message);
    }
  });
});
