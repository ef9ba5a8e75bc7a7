import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobFailures, outbox, refunds } from "../../src/db/schema/index.ts";
import { addDays, localDate, zonedInstant } from "../../src/domain/bookings/local-time.ts";
import { deliverJob } from "../../src/domain/jobs/deliver-job.ts";
import { retryPolicyOf } from "../../src/domain/jobs/retry-policy.ts";
import { notify } from "../../src/domain/notifications/notify.ts";
import { formatDate, formatInstant, formatMoney } from "../../src/domain/notifications/templates/format.ts";
import { drainOutbox } from "../../src/domain/outbox/drain-outbox.ts";
import { topics } from "../../src/domain/outbox/topics.ts";
import { runJob, scheduledTick } from "../../src/jobs.ts";
import { MailDeliveryError, type Mailer, type MailMessage } from "../../src/ports.ts";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import * as conversationRoutes from "../../src/routes/conversations/conversations.routes.ts";
import * as paymentRoutes from "../../src/routes/payments/payments.routes.ts";
import * as reviewRoutes from "../../src/routes/reviews/reviews.routes.ts";
import { expectStatus } from "../support/api.ts";
import { renewTokens, type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { startFakeResend } from "../support/fake-resend.ts";
import { createListing, type NewListing } from "../support/listing-factory.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

/**
 * Issue 18 (notifications): every event a person should hear about reaches them by e-mail through
 * the outbox, driven here through the API, the tick and the jobs, with a mailer that keeps what it
 * is handed. Each test has its own host and guest (their addresses tell their mails apart).
 *
 * One clock for the file, moved forward only; it starts on a quarter hour (message mails go out at
 * the end of 15-minute windows). Tokens are renewed as it moves.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const TZ = "Europe/Paris";
const clock = manualClock(new Date("2026-06-01T12:00:00Z"));

interface Sent {
  message: MailMessage;
  idempotencyKey: string | undefined;
  at: Date;
}

/** A mailer that keeps every call (a repeat included), as a provider's log would. */
function capturingMailer(): Mailer & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async send(message, { idempotencyKey } = {}) {
      sent.push({ message, idempotencyKey, at: clock.now() });
    },
  };
}

const mailer = capturingMailer();
let t: TestApp;
/** Everyone whose tokens follow the clock. */
const people: SignedUpUser[] = [];

const db = () => t.db.database.connect().db;

beforeAll(async () => {
  t = await createTestApp({ env: { PUBLIC_URL: "https://stayedge.example" }, deps: { clock, mailer } });
});
afterAll(() => t?.close());

async function person(name?: string): Promise<SignedUpUser> {
  const user = await signUp(t, name === undefined ? {} : { name });
  people.push(user);
  return user;
}

/** Moves the clock forward to `at`, renewing everyone's tokens (they live 15 minutes). */
async function moveTo(at: Date) {
  if (at.getTime() < clock.now().getTime())
    throw new Error(`the clock only moves forward, not to ${at.toISOString()}`);
  while (clock.now().getTime() < at.getTime()) {
    clock.advance(Math.min(7 * DAY, at.getTime() - clock.now().getTime()));
    await renewTokens(t, ...people);
  }
}
const moveBy = (ms: number) => moveTo(new Date(clock.now().getTime() + ms));

/** Waits for the jobs, then hands them what the outbox holds, until nothing more is due. */
async function deliver() {
  await t.deps.drainJobs();
  for (let round = 0; round < 5; round++) {
    const handed = await drainOutbox({ ctx: { db: db(), deps: t.deps }, input: {} });
    await t.deps.drainJobs();
    if (handed === 0) return;
  }
}

/** The periodic tick (it moves bookings on and publishes reviews), then the jobs it started. */
async function tick() {
  await scheduledTick(t.deps);
  await deliver();
}

const mailsTo = (user: SignedUpUser) => mailer.sent.filter((sent) => sent.message.to === user.email);
const subjectsTo = (user: SignedUpUser) => mailsTo(user).map((sent) => sent.message.subject);
/** The mail to `user` whose subject starts with `start`; fails unless there is exactly one. */
function mailTo(user: SignedUpUser, start: string): MailMessage {
  const found = mailsTo(user).filter((sent) => sent.message.subject.startsWith(start));
  expect(found, `${start} in ${JSON.stringify(subjectsTo(user))}`).toHaveLength(1);
  return (found[0] as Sent).message;
}

const today = () => localDate(clock.now(), TZ);

async function pair(guestName?: string) {
  return { host: await person(), guest: await person(guestName) };
}

async function newListing(host: SignedUpUser, overrides: Partial<NewListing> = {}) {
  return (await createListing(t, host.accessToken, overrides)).body;
}

async function book(guest: SignedUpUser, listingId: string, checkIn: string, checkOut: string) {
  const answer = await t.call(bookingRoutes.createBooking, {
    token: guest.accessToken,
    body: { listingId, checkIn, checkOut, guests: 2 },
  });
  expectStatus(answer, 201);
  return answer.body;
}

async function simulate(guest: SignedUpUser, id: string, outcome: "succeed" | "fail") {
  expectStatus(
    await t.call(paymentRoutes.simulatePayment, {
      token: guest.accessToken,
      params: { id },
      body: { outcome },
    }),
    200,
  );
}

async function answer(action: "accept" | "decline" | "cancel", by: SignedUpUser, id: string) {
  const route = {
    accept: bookingRoutes.acceptBooking,
    decline: bookingRoutes.declineBooking,
    cancel: bookingRoutes.cancelBooking,
  }[action];
  const answered = await t.call(route, { token: by.accessToken, params: { id } });
  expectStatus(answered, 200);
  return answered.body;
}

describe("booking e-mails", () => {
  it("tell the host of a request, with its deadline on the listing's clock, escaping what people wrote", async () => {
    const { host, guest } = await pair('Zoé <b>"Z"</b> & co');
    const listing = await newListing(host, { title: 'Loft <Canal> & "Co"' });
    const booking = await book(guest, listing.id, addDays(today(), 30), addDays(today(), 33));
    await deliver();

    const mail = mailTo(host, `Booking request from ${guest.name}`);
    expect(mail.subject).toContain(`Loft <Canal> & "Co"`);
    const respondBy = formatInstant(new Date(booking.holdExpiresAt ?? ""), TZ);
    expect(respondBy).toMatch(/, 14:00 \(Europe\/Paris\)$/);
    expect(mail.text).toContain(`Accept or decline by ${respondBy}`);
    expect(mail.text).toContain(formatMoney(booking.quote.hostPayout, "EUR"));
    expect(mail.text).toContain(`https://stayedge.example/bookings/${booking.id}`);
    expect(mail.html).toContain("Zoé &lt;b&gt;&quot;Z&quot;&lt;/b&gt; &amp; co");
    expect(mail.html).toContain("Loft &lt;Canal&gt; &amp; &quot;Co&quot;");
    expect(mail.html).not.toContain("<b>");
    expect(mailsTo(guest)).toEqual([]);
  });

  it("tell the guest the host accepted (pay by …), then both that it is confirmed", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host);
    const booking = await book(guest, listing.id, addDays(today(), 40), addDays(today(), 42));
    const accepted = await answer("accept", host, booking.id);
    expect(accepted.status).toBe("pending_payment");
    await deliver();
    const mail = mailTo(guest, `${host.name} accepted your request`);
    expect(mail.text).toContain(
      `Complete your payment by ${formatInstant(new Date(accepted.holdExpiresAt ?? ""), TZ)}`,
    );
    expect(mail.text).toContain(formatMoney(booking.quote.total, "EUR"));

    await simulate(guest, booking.id, "succeed");
    await deliver();
    expect(mailTo(guest, "Booking confirmed").text).toContain("is confirmed and paid");
    expect(mailTo(host, "Booking confirmed").text).toContain(`${guest.name}'s stay`);
  });

  it("confirm an accepted request whose card was authorised, to both, in one mail each", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host);
    const booking = await book(guest, listing.id, addDays(today(), 50), addDays(today(), 52));
    await simulate(guest, booking.id, "succeed");
    expect((await answer("accept", host, booking.id)).status).toBe("confirmed");
    await deliver();
    expect(mailTo(guest, "Booking confirmed").text).toContain(`${host.name} accepted your request`);
    expect(mailTo(host, "Booking confirmed").text).toContain("confirmed and paid");
    expect(subjectsTo(guest)).toEqual([expect.stringMatching(/^Booking confirmed/)]);
  });

  it("confirm an instant booking to both once it is paid, and send the host no request", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host, { instantBook: true });
    const booking = await book(guest, listing.id, addDays(today(), 20), addDays(today(), 23));
    await deliver();
    expect(mailer.sent.filter((s) => [host.email, guest.email].includes(s.message.to))).toEqual([]);
    await simulate(guest, booking.id, "succeed");
    await deliver();
    expect(subjectsTo(guest)).toEqual([expect.stringMatching(/^Booking confirmed: /)]);
    expect(subjectsTo(host)).toEqual([expect.stringMatching(/^Booking confirmed: /)]);
    expect(mailTo(host, "Booking confirmed").text).toContain(formatMoney(booking.quote.hostPayout, "EUR"));
  });

  it("tell the guest of a decline", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host);
    const booking = await book(guest, listing.id, addDays(today(), 60), addDays(today(), 61));
    await answer("decline", host, booking.id);
    await deliver();
    expect(mailTo(guest, "Your request was declined").text).toContain(`${host.name} cannot host you`);
  });

  it("tell the guest when a card is declined, in the provider's words", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host, { instantBook: true });
    const booking = await book(guest, listing.id, addDays(today(), 70), addDays(today(), 72));
    await simulate(guest, booking.id, "fail");
    await deliver();
    const mail = mailTo(guest, "Your payment failed");
    expect(mail.text).toMatch(/did not go through: .*declined/i);
    expect(subjectsTo(guest)).toHaveLength(1);
  });

  it("tell both of a cancellation, the guest with the refund in the listing's currency", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host, { instantBook: true, cancellationPolicy: "flexible" });
    const byGuest = await book(guest, listing.id, addDays(today(), 80), addDays(today(), 83));
    await simulate(guest, byGuest.id, "succeed");
    const cancelled = await answer("cancel", guest, byGuest.id);
    expect(cancelled.refundDue).toBe(byGuest.quote.total);
    await deliver();
    const refund = formatMoney(cancelled.refundDue ?? 0, "EUR");
    expect(mailTo(guest, "Booking cancelled").text).toContain(`You cancelled the booking`);
    expect(mailTo(guest, "Booking cancelled").text).toContain(`You get ${refund} back, the full amount`);
    expect(mailTo(host, "Booking cancelled").text).toContain(`${guest.name} cancelled the booking`);
    expect(mailTo(host, "Booking cancelled").text).toContain(
      `The guest is refunded ${refund}, the full amount: there is no payout`,
    );
  });

  it("tell both of a partial refund in yen: the amount refunded, no decimals, the stay's own dates", async () => {
    const { host, guest } = await pair();
    const tokyo = "Asia/Tokyo";
    const listing = await newListing(host, {
      title: "Machiya in Gion",
      timezone: tokyo,
      currency: "JPY",
      nightlyPrice: 18_000,
      cleaningFee: 5_000,
      instantBook: true,
      cancellationPolicy: "firm",
    });
    // Firm, booked 15 days ahead: half back until 7 days before check-in.
    const checkIn = addDays(localDate(clock.now(), tokyo), 15);
    const checkOut = addDays(checkIn, 3);
    const booking = await book(guest, listing.id, checkIn, checkOut);
    await simulate(guest, booking.id, "succeed");
    const cancelled = await answer("cancel", guest, booking.id);
    const total = booking.quote.total;
    const refundDue = cancelled.refundDue ?? 0;
    expect(refundDue).toBeGreaterThan(0);
    expect(refundDue).toBeLessThan(total);
    await deliver();

    // What the mails say is what the payment domain refunds.
    const sentBack = await db().select().from(refunds).where(eq(refunds.bookingId, booking.id));
    expect(sentBack.map(({ amount, currency, cause }) => ({ amount, currency, cause }))).toEqual([
      { amount: refundDue, currency: "JPY", cause: "cancellation" },
    ]);
    const [refund, paid] = [formatMoney(refundDue, "JPY"), formatMoney(total, "JPY")];
    expect(refund).toMatch(/^¥[\d,]+$/);
    const dates = `${formatDate(checkIn)} – ${formatDate(checkOut)}`;
    const toGuest = mailTo(guest, "Booking cancelled");
    expect(toGuest.subject).toBe(`Booking cancelled: Machiya in Gion, ${dates}`);
    expect(toGuest.text).toContain(`You get ${refund} back of the ${paid} you paid`);
    expect(toGuest.text).toContain(`${formatDate(checkIn)}, from 15:00`);
    expect(toGuest.html).toContain(refund);
    const toHost = mailTo(host, "Booking cancelled");
    expect(toHost.subject).toBe(`Booking cancelled: Machiya in Gion, ${dates}`);
    expect(toHost.text).toContain(`The guest is refunded ${refund} of the ${paid} they paid`);
  });

  it("tell both a paid booking cancelled late is not refunded (in dinars, three decimals)", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host, {
      currency: "KWD",
      nightlyPrice: 30_000,
      cleaningFee: 5_000,
      instantBook: true,
      cancellationPolicy: "moderate",
    });
    // Moderate: nothing back from 5 days before check-in.
    const booking = await book(guest, listing.id, addDays(today(), 3), addDays(today(), 5));
    await simulate(guest, booking.id, "succeed");
    expect((await answer("cancel", guest, booking.id)).refundDue).toBe(0);
    await deliver();
    expect(await db().select().from(refunds).where(eq(refunds.bookingId, booking.id))).toEqual([]);
    const paid = formatMoney(booking.quote.total, "KWD");
    expect(paid).toMatch(/^KWD\s[\d,]+\.\d{3}$/);
    expect(mailTo(guest, "Booking cancelled").text).toContain(
      `Under the listing's cancellation policy, the ${paid} you paid is not refunded.`,
    );
    expect(mailTo(host, "Booking cancelled").text).toContain(
      `the guest is not refunded: your payout of ${formatMoney(booking.quote.hostPayout, "KWD")} stands`,
    );
  });

  it("tell the guest their booking expired when the payment did not come", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host, { instantBook: true });
    const booking = await book(guest, listing.id, addDays(today(), 95), addDays(today(), 97));
    await deliver();
    await moveTo(new Date(Date.parse(booking.holdExpiresAt ?? "") + MINUTE));
    await tick();
    const mail = mailTo(guest, "Your booking expired");
    expect(mail.text).toContain("Your payment did not arrive in time");
    expect(mail.text).toContain(formatMoney(booking.quote.total, "EUR"));
    expect(subjectsTo(guest)).toHaveLength(1);
    expect(subjectsTo(host)).toEqual([]);
  });

  it("tell both when the host cancels a request not yet paid: nothing was charged", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host);
    const booking = await book(guest, listing.id, addDays(today(), 90), addDays(today(), 91));
    await answer("cancel", host, booking.id);
    await deliver();
    expect(mailTo(guest, "Booking cancelled").text).toContain(`${host.name} cancelled the booking`);
    expect(mailTo(guest, "Booking cancelled").text).toContain("Nothing was charged.");
    expect(mailTo(host, "Booking cancelled").text).toContain("You cancelled the booking");
  });

  it("tell the guest their request expired when the host let it run out", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host);
    const booking = await book(guest, listing.id, addDays(today(), 100), addDays(today(), 102));
    await deliver();
    await moveTo(new Date(Date.parse(booking.holdExpiresAt ?? "") + MINUTE));
    await tick();
    expect(mailTo(guest, "Your booking expired").text).toContain(
      "The host did not answer your request in time",
    );
    expect(subjectsTo(host)).toEqual([expect.stringMatching(/^Booking request/)]);
  });

  it("send nothing twice when an event is delivered again", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host, { instantBook: true });
    const booking = await book(guest, listing.id, addDays(today(), 110), addDays(today(), 112));
    await simulate(guest, booking.id, "succeed");
    await deliver();
    const before = mailer.sent.length;
    const events = (await db().select().from(outbox).where(eq(outbox.topic, topics.bookingChanged))).filter(
      (row) => (row.payload as { bookingId: string }).bookingId === booking.id,
    );
    expect(events.map((row) => (row.payload as { to: string }).to).sort()).toEqual([
      "confirmed",
      "pending_payment",
    ]);
    for (const event of events) {
      // Redelivered as a job (an outbox lease ran out), and handed to the verb directly.
      await runJob({ id: event.id, topic: event.topic, payload: event.payload }, t.deps);
      const queued = await notify({
        ctx: { db: db(), deps: t.deps },
        input: { topic: event.topic, eventId: event.id, payload: event.payload },
      });
      expect(queued).toBe(0);
    }
    await deliver();
    expect(mailer.sent.length).toBe(before);
    const keys = mailer.sent.map((sent) => sent.idempotencyKey);
    expect(new Set(keys).size, "one idempotency key per mail").toBe(keys.length);
    expect(keys.every((key) => /^[0-9a-f-]{36}$/.test(key ?? ""))).toBe(true);
  });
});

describe("review e-mails", () => {
  it("open the window to both when the stay ends, remind the side that has not reviewed, and announce what is published", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host, { instantBook: true });
    const checkIn = addDays(today(), 2);
    const checkOut = addDays(today(), 4);
    const booking = await book(guest, listing.id, checkIn, checkOut);
    await simulate(guest, booking.id, "succeed");
    await deliver();

    await moveTo(new Date(zonedInstant(checkOut, "11:00", TZ).getTime() + MINUTE));
    await tick();
    const closes = zonedInstant(addDays(checkOut, 14), "11:00", TZ);
    const closing = formatInstant(closes, TZ);
    expect(mailTo(guest, "How was your stay at").text).toContain(`until ${closing}`);
    expect(mailTo(host, `How was hosting ${guest.name}?`).text).toContain(`until ${closing}`);

    const written = await t.call(reviewRoutes.createReview, {
      token: guest.accessToken,
      params: { id: booking.id },
      body: {
        rating: 4,
        comment: "Lovely <b>loft</b>, noisy street.",
        categories: { cleanliness: 5, accuracy: 4, checkIn: 5, communication: 5, location: 3, value: 4 },
      },
    });
    expectStatus(written, 201);

    // Nothing until three days before the window closes; then the host alone, once.
    await moveTo(new Date(closes.getTime() - 3 * DAY - MINUTE));
    await tick();
    expect(subjectsTo(host).filter((s) => s.startsWith("A few days left"))).toEqual([]);
    await moveBy(2 * MINUTE);
    await tick();
    expect(mailTo(host, "A few days left to review").text).toContain(`until ${closing}`);
    expect(subjectsTo(guest).filter((s) => s.startsWith("A few days left"))).toEqual([]);
    await moveBy(DAY);
    await tick();
    expect(subjectsTo(host).filter((s) => s.startsWith("A few days left"))).toHaveLength(1);

    // The host's review publishes both: each side hears of the review about them.
    const hostReview = await t.call(reviewRoutes.createReview, {
      token: host.accessToken,
      params: { id: booking.id },
      body: { rating: 5, comment: "A considerate guest.", wouldHostAgain: true },
    });
    expectStatus(hostReview, 201);
    await deliver();
    const aboutStay = mailTo(host, `${guest.name} reviewed`);
    expect(aboutStay.text).toContain("★★★★☆ (4/5)");
    expect(aboutStay.text).toContain("> Lovely <b>loft</b>, noisy street.");
    expect(aboutStay.html).toContain("Lovely &lt;b&gt;loft&lt;/b&gt;, noisy street.");
    expect(mailTo(guest, `${host.name} reviewed you`).text).toContain("A considerate guest.");
  });

  it("announce a lone review when the window closes, to whom it is about", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host, { instantBook: true });
    const checkOut = addDays(today(), 3);
    const booking = await book(guest, listing.id, addDays(today(), 1), checkOut);
    await simulate(guest, booking.id, "succeed");
    await moveTo(new Date(zonedInstant(checkOut, "11:00", TZ).getTime() + MINUTE));
    await tick();
    const hostReview = await t.call(reviewRoutes.createReview, {
      token: host.accessToken,
      params: { id: booking.id },
      body: { rating: 3, comment: "Left the kitchen in a state.", wouldHostAgain: false },
    });
    expectStatus(hostReview, 201);
    const closes = zonedInstant(addDays(checkOut, 14), "11:00", TZ);
    await moveTo(new Date(closes.getTime() - 3 * DAY + MINUTE));
    await tick();
    // The guest is reminded (they have not reviewed); the host is not.
    expect(subjectsTo(guest).filter((s) => s.startsWith("A few days left"))).toHaveLength(1);
    expect(subjectsTo(host).filter((s) => s.startsWith("A few days left"))).toEqual([]);
    expect(subjectsTo(guest).filter((s) => s.endsWith("reviewed you"))).toEqual([]);

    await moveTo(new Date(closes.getTime() + MINUTE));
    await tick();
    expect(mailTo(guest, `${host.name} reviewed you`).text).toContain("Left the kitchen in a state.");
    expect(subjectsTo(host).filter((s) => s.endsWith("reviewed you"))).toEqual([]);
  });
});

describe("message e-mails", () => {
  const send = async (by: SignedUpUser, conversationId: string, text: string) => {
    const sent = await t.call(conversationRoutes.sendMessage, {
      token: by.accessToken,
      params: { id: conversationId },
      body: { text },
    });
    expectStatus(sent, 201);
  };

  it("send at most one a quarter hour per conversation, summing up the unread, masked as the recipient sees them", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host);
    // Start on a quarter hour.
    const quarter = 15 * MINUTE;
    await moveTo(new Date(Math.ceil(clock.now().getTime() / quarter) * quarter));
    const start = clock.now().getTime();

    await moveBy(1000);
    const enquiry = await t.call(conversationRoutes.startConversation, {
      token: guest.accessToken,
      params: { id: listing.id },
      body: { text: "Hello! Is the loft free in August?" },
    });
    expectStatus(enquiry, 201);
    const { conversationId } = enquiry.body;
    await moveBy(5 * MINUTE);
    await send(guest, conversationId, "Call me on +33 6 12 34 56 78 or write to zoe@example.com");
    await moveBy(5 * MINUTE);
    await send(guest, conversationId, "We are two <adults> & a baby.");
    await tick();
    expect(mailsTo(host), "nothing before the window ends").toEqual([]);

    await moveTo(new Date(start + quarter));
    await tick();
    const first = mailTo(host, `${guest.name} sent you 3 new messages`);
    expect(first.text).toContain("> Hello! Is the loft free in August?");
    expect(first.text).toContain("> Call me on [phone number hidden] or write to [email hidden]");
    expect(first.text).not.toContain("zoe@example.com");
    expect(first.text).not.toContain("12 34 56 78");
    expect(first.html).toContain("We are two &lt;adults&gt; &amp; a baby.");
    expect(first.text).toContain(`https://stayedge.example/conversations/${conversationId}`);
    expect(mailsTo(guest), "the sender hears nothing of their own messages").toEqual([]);

    // Another message in the next window: another mail when it ends, and not before.
    await moveBy(MINUTE);
    await send(guest, conversationId, "Also, is there a cot?");
    await tick();
    expect(mailsTo(host)).toHaveLength(1);
    await moveTo(new Date(start + 2 * quarter));
    await tick();
    expect(mailsTo(host)).toHaveLength(2);
    expect(mailTo(host, `${guest.name} sent you 4 new messages`).text).toContain("> Also, is there a cot?");
    const times = mailsTo(host).map((sent) => sent.at.getTime());
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(quarter);

    // Read before the window ends: no mail.
    await moveBy(MINUTE);
    await send(guest, conversationId, "Thanks!");
    const read = await t.call(conversationRoutes.markConversationRead, {
      token: host.accessToken,
      params: { id: conversationId },
    });
    expectStatus(read, 200);
    await moveTo(new Date(start + 3 * quarter));
    await tick();
    expect(mailsTo(host)).toHaveLength(2);

    // The host's reply reaches the guest the same way.
    await moveBy(MINUTE);
    await send(host, conversationId, "Yes, a cot is there.");
    await moveTo(new Date(start + 4 * quarter));
    await tick();
    expect(mailTo(guest, `${host.name} sent you a new message`).text).toContain("> Yes, a cot is there.");
  });
});

describe("message e-mails at a window's edge", () => {
  it("count a message sent at the last millisecond of a quarter hour in it, one sent on the hour in the next", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host);
    const quarter = 15 * MINUTE;
    await moveTo(new Date(Math.ceil(clock.now().getTime() / quarter) * quarter));
    const end = clock.now().getTime() + quarter;
    await moveTo(new Date(end - 1));
    const enquiry = await t.call(conversationRoutes.startConversation, {
      token: guest.accessToken,
      params: { id: listing.id },
      body: { text: "Just in time?" },
    });
    expectStatus(enquiry, 201);
    const { conversationId } = enquiry.body;
    await moveTo(new Date(end));
    const late = await t.call(conversationRoutes.sendMessage, {
      token: guest.accessToken,
      params: { id: conversationId },
      body: { text: "On the hour." },
    });
    expectStatus(late, 201);
    await tick();
    const first = mailTo(host, `${guest.name} sent you a new message`);
    expect(first.text).toContain("> Just in time?");
    expect(first.text).not.toContain("On the hour.");

    // The next window's mail: not before it ends, then once, with what is still unread.
    await moveTo(new Date(end + quarter - 1));
    await tick();
    expect(mailsTo(host)).toHaveLength(1);
    await moveTo(new Date(end + quarter));
    await tick();
    expect(mailsTo(host)).toHaveLength(2);
    expect(mailTo(host, `${guest.name} sent you 2 new messages`).text).toContain("> On the hour.");
    await moveBy(quarter);
    await tick();
    expect(mailsTo(host), "nothing new: no more mail").toHaveLength(2);
  });
});

describe("message e-mails after one that left late", () => {
  it("wait a quarter hour after the last mail, however late it left", async () => {
    const { host, guest } = await pair();
    const listing = await newListing(host);
    const quarter = 15 * MINUTE;
    await moveTo(new Date(Math.ceil(clock.now().getTime() / quarter) * quarter + MINUTE));
    const start = clock.now().getTime() - MINUTE;
    const enquiry = await t.call(conversationRoutes.startConversation, {
      token: guest.accessToken,
      params: { id: listing.id },
      body: { text: "First window." },
    });
    expectStatus(enquiry, 201);
    // Nothing drains the outbox until four minutes after the window ends: its mail leaves then.
    await moveTo(new Date(start + quarter + 4 * MINUTE));
    await tick();
    expect(mailsTo(host)).toHaveLength(1);
    const firstAt = clock.now().getTime();

    await moveBy(MINUTE);
    const sent = await t.call(conversationRoutes.sendMessage, {
      token: guest.accessToken,
      params: { id: enquiry.body.conversationId },
      body: { text: "Second window." },
    });
    expectStatus(sent, 201);
    // The next window ends 11 minutes after the first mail: its mail waits until 15 have passed.
    await moveTo(new Date(start + 2 * quarter));
    await tick();
    expect(mailsTo(host), "no second mail 11 minutes after the first").toHaveLength(1);
    await moveTo(new Date(firstAt + quarter - 1));
    await tick();
    expect(mailsTo(host)).toHaveLength(1);
    await moveTo(new Date(firstAt + quarter));
    await tick();
    expect(mailsTo(host)).toHaveLength(2);
    expect(mailTo(host, `${guest.name} sent you 2 new messages`).text).toContain("> Second window.");
    const times = mailsTo(host).map((mail) => mail.at.getTime());
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(quarter);
    // The put-off mail, handed over again, is not sent again.
    await moveBy(quarter);
    await tick();
    expect(mailsTo(host)).toHaveLength(2);
  });
});

describe("the Resend mailer, wired by the settings", () => {
  it("delivers the app's mails to Resend, each with its outbox id as the idempotency key", async () => {
    const fake = await startFakeResend();
    const app = await createTestApp({
      env: {
        RESEND_API_KEY: fake.apiKey,
        MAIL_FROM: "stayedge <bookings@stayedge.example>",
        RESEND_API_URL: fake.url,
      },
      deps: { clock },
    });
    try {
      const [host, guest] = [await signUp(app), await signUp(app)];
      const listing = (await createListing(app, host.accessToken)).body;
      const booked = await app.call(bookingRoutes.createBooking, {
        token: guest.accessToken,
        body: {
          listingId: listing.id,
          checkIn: addDays(today(), 30),
          checkOut: addDays(today(), 31),
          guests: 1,
        },
      });
      expectStatus(booked, 201);
      await drainOutbox({ ctx: { db: app.db.database.connect().db, deps: app.deps }, input: {} });
      await app.deps.drainJobs();
      const mails = fake.sent.filter((sent) => sent.to.includes(host.email));
      expect(mails).toHaveLength(1);
      const [mail] = mails;
      expect(mail).toMatchObject({ from: "stayedge <bookings@stayedge.example>", to: [host.email] });
      expect(mail?.subject).toMatch(/^Booking request from /);
      expect(mail?.html).toContain("<!doctype html>");
      const [row] = await app.db.database
        .connect()
        .db.select()
        .from(outbox)
        .where(eq(outbox.topic, topics.sendMail));
      expect(mail?.idempotencyKey).toBe(row?.id);

      // The mail's job handed over again: the job record stops a second run; were it to run
      // again anyway (a crash between Resend's answer and the record), Resend's key stops it.
      if (!row) throw new Error("no mail in the outbox");
      const job = { id: row.id, topic: row.topic, payload: row.payload };
      const again = await deliverJob({
        deps: app.deps,
        job,
        attempt: 1,
        policy: retryPolicyOf(app.deps.config),
        run: (j) => runJob(j, app.deps),
      });
      expect(again.outcome).toBe("repeat");
      const requests = fake.requests.length;
      await runJob(job, app.deps);
      expect(fake.requests.length).toBe(requests + 1);
      expect(fake.sent.filter((sent) => sent.to.includes(host.email))).toHaveLength(1);
    } finally {
      await app.close();
      await fake.close();
    }
  });
});

describe("the mail.send job", () => {
  const failing = (kind: "refused" | "unavailable"): Mailer => ({
    send: async () => {
      throw new MailDeliveryError(
        kind,
        `Resend answered ${kind === "refused" ? "422 validation_error" : "503"}`,
      );
    },
  });
  const attempt = (mailer: Mailer) => {
    const deps = { ...t.deps, mailer };
    const job = {
      id: crypto.randomUUID(),
      topic: topics.sendMail,
      payload: { to: "someone@example.com", subject: "s", text: "t" },
    };
    return deliverJob({
      deps,
      job,
      attempt: 1,
      policy: retryPolicyOf(t.deps.config),
      run: (j) => runJob(j, deps),
    }).then(async (delivery) => {
      const [failure] = await db().select().from(jobFailures).where(eq(jobFailures.jobId, job.id));
      return { delivery, failure };
    });
  };

  it("is dead at its first attempt when the provider refuses the mail, with the provider's reason", async () => {
    const { delivery, failure } = await attempt(failing("refused"));
    expect(delivery.outcome).toBe("dead");
    expect(failure).toMatchObject({ status: "dead", attempts: 1 });
    expect(failure?.lastError).toBe("MailRefusedError: Resend answered 422 validation_error");
  });

  it("is tried again when the provider cannot take it now", async () => {
    const { delivery, failure } = await attempt(failing("unavailable"));
    expect(delivery.outcome).toBe("retry");
    expect(failure).toMatchObject({ status: "retrying", attempts: 1 });
  });
});
