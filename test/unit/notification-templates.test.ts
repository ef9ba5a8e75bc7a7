import { describe, expect, it } from "vitest";
import { zonedInstant } from "../../src/domain/bookings/local-time.ts";
import { nameBasedId, uuidV5 } from "../../src/domain/notifications/mail-id.ts";
import { passwordReset, reviewHidden } from "../../src/domain/notifications/templates/account-mails.ts";
import {
  bookingAccepted,
  bookingCancelled,
  bookingConfirmed,
  bookingDeclined,
  bookingExpired,
  bookingRequested,
  paymentFailed,
  type StayFacts,
} from "../../src/domain/notifications/templates/booking-mails.ts";
import {
  formatDate,
  formatInstant,
  formatMoney,
  minorUnitDigits,
} from "../../src/domain/notifications/templates/format.ts";
import { unreadMessages } from "../../src/domain/notifications/templates/message-mails.ts";
import { escapeHtml, oneLine, renderMail } from "../../src/domain/notifications/templates/render.ts";
import {
  reviewPublished,
  reviewReminder,
  reviewWindowOpen,
} from "../../src/domain/notifications/templates/review-mails.ts";

const stay: StayFacts = {
  bookingId: "b1",
  listingTitle: "Sunny loft by the canal",
  timezone: "Europe/Paris",
  checkIn: "2026-07-01",
  checkOut: "2026-07-04",
  checkInTime: "15:00",
  checkOutTime: "11:00",
  nights: 3,
  guests: 2,
  currency: "EUR",
  total: 52_770,
  hostPayout: 45_135,
};
const ana = { name: "Ana" };
const bo = { name: "Bo" };
const url = "https://stayedge.example/bookings/b1";

/** Everything between tags in an HTML part, tags dropped and entities kept. */
const textOf = (html: string) => html.replace(/<[^>]*>/g, "");

describe("formatDate and formatInstant", () => {
  it("write a stay's dates as written, whatever the zone", () => {
    expect(formatDate("2026-07-01")).toBe("Wed 1 Jul 2026");
    expect(formatDate("2024-02-29")).toBe("Thu 29 Feb 2024");
  });

  it("write an instant on the listing's clock, across a change of clocks", () => {
    // Check-out at 11:00 in Paris: UTC+1 before 29 March 2026, UTC+2 after.
    const before = zonedInstant("2026-03-28", "11:00", "Europe/Paris");
    const after = zonedInstant("2026-03-30", "11:00", "Europe/Paris");
    expect(before.toISOString()).toBe("2026-03-28T10:00:00.000Z");
    expect(after.toISOString()).toBe("2026-03-30T09:00:00.000Z");
    expect(formatInstant(before, "Europe/Paris")).toBe("Sat 28 Mar 2026, 11:00 (Europe/Paris)");
    expect(formatInstant(after, "Europe/Paris")).toBe("Mon 30 Mar 2026, 11:00 (Europe/Paris)");
    // New York goes back on 1 November 2026: 14 days after a 25 October check-out is still 11:00.
    const closes = zonedInstant("2026-11-08", "11:00", "America/New_York");
    expect(closes.toISOString()).toBe("2026-11-08T16:00:00.000Z");
    expect(formatInstant(closes, "America/New_York")).toBe("Sun 8 Nov 2026, 11:00 (America/New_York)");
    // The same instant is another date where another listing is.
    expect(formatInstant(new Date("2026-07-01T23:30:00Z"), "Asia/Tokyo")).toBe(
      "Thu 2 Jul 2026, 08:30 (Asia/Tokyo)",
    );
  });
});

describe("formatMoney", () => {
  it("reads minor units with the currency's own number of decimals (ISO 4217)", () => {
    expect(minorUnitDigits("EUR")).toBe(2);
    expect(minorUnitDigits("JPY")).toBe(0);
    expect(minorUnitDigits("KWD")).toBe(3);
    expect(formatMoney(52_770, "EUR")).toBe("€527.70");
    expect(formatMoney(123_456_789, "USD")).toBe("$1,234,567.89");
    expect(formatMoney(12_000, "JPY")).toBe("¥12,000");
    expect(formatMoney(1_250, "KWD")).toBe("KWD\u00a01.250");
    expect(formatMoney(5, "GBP")).toBe("£0.05");
    expect(formatMoney(0, "EUR")).toBe("€0.00");
  });
});

describe("renderMail", () => {
  it("escapes every string it puts in HTML, and keeps the text part as written", () => {
    const evil = `<script>alert("x")</script> & 'quotes'`;
    const mail = renderMail("a@example.com", {
      subject: `Hi ${evil}`,
      greeting: `Hello ${evil},`,
      paragraphs: [`Title: ${evil}\nsecond line`],
      details: [{ label: "Listing", value: evil }],
      quotes: [{ from: evil, at: "now", text: `${evil}\n<img src=x onerror=alert(1)>` }],
      action: { label: evil, url: "https://example.com/a?b=1&c=<d>" },
    });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;");
    expect(mail.html).toContain('href="https://example.com/a?b=1&amp;c=%3Cd%3E"');
    expect(mail.html).toContain("second line");
    expect(mail.text).toContain(`Title: ${evil}\nsecond line`);
    expect(mail.text).toContain("> <img src=x onerror=alert(1)>");
    // The only tags are the layout's own.
    const tags = new Set([...(mail.html ?? "").matchAll(/<\/?([a-z!]+)/gi)].map((m) => m[1]?.toLowerCase()));
    expect([...tags].sort()).toEqual(
      [
        "!doctype",
        "a",
        "body",
        "br",
        "div",
        "head",
        "html",
        "meta",
        "p",
        "strong",
        "table",
        "td",
        "title",
        "tr",
      ].sort(),
    );
  });

  it("makes the subject one line, however the title was written", () => {
    expect(oneLine("A\r\nBcc: x@example.com\n  title")).toBe("A Bcc: x@example.com title");
    expect(oneLine("A\u0085Bcc: x\u2028y\u2029z\u000bw\u001b[31m")).toBe("A Bcc: x y z w [31m");
    expect([...oneLine("x".repeat(500))].length).toBe(150);
    const mail = renderMail("a@example.com", { subject: "Line\nbreak", greeting: "Hi", paragraphs: [] });
    expect(mail.subject).toBe("Line break");
  });

  it("links to web pages only", () => {
    expect(() =>
      renderMail("a@example.com", {
        subject: "s",
        greeting: "g",
        paragraphs: [],
        action: { label: "x", url: "javascript:alert(1)" },
      }),
    ).toThrow(/web pages only/);
  });

  it("escapes the five characters HTML cares about", () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });
});

describe("every template", () => {
  // What people write, as hostile as it gets: markup, an attribute break-out, a header break-out.
  const evil = `<img src=x onerror=alert(1)>"'&\r\nBcc: victim@example.com`;
  const you = { name: `Ana ${evil}` };
  const other = { name: `Bo ${evil}` };
  const hostile: StayFacts = { ...stay, listingTitle: `Loft ${evil}` };
  const at = new Date("2026-06-02T10:00:00Z");
  const review = { you, other, stay: hostile, closes: at, url };
  const documents = {
    bookingRequested: bookingRequested({ host: you, guest: other, stay: hostile, respondBy: at, url }),
    bookingAccepted: bookingAccepted({ guest: you, host: other, stay: hostile, payBy: at, url }),
    bookingConfirmed: bookingConfirmed({ side: "host", you, other, stay: hostile, accepted: true, url }),
    bookingDeclined: bookingDeclined({ guest: you, host: other, stay: hostile, url }),
    bookingExpired: bookingExpired({ guest: you, stay: hostile, why: "payment", url }),
    paymentFailed: paymentFailed({ guest: you, stay: hostile, failure: evil, url }),
    bookingCancelled: bookingCancelled({
      side: "guest",
      you,
      other,
      stay: hostile,
      cancelledBy: "host",
      paid: true,
      refund: 100,
      url,
    }),
    reviewWindowOpen: reviewWindowOpen({ side: "host", ...review }),
    reviewReminder: reviewReminder({ side: "host", ...review }),
    reviewPublished: reviewPublished({
      you,
      author: other,
      side: "guest",
      listingTitle: hostile.listingTitle,
      rating: 1,
      comment: evil,
      url,
    }),
    unreadMessages: unreadMessages({
      you,
      other,
      listingTitle: hostile.listingTitle,
      timezone: "Europe/Paris",
      unread: 1,
      messages: [{ from: other, at, text: evil }],
      url,
    }),
    passwordReset: passwordReset({ you, url, validMinutes: 60 }),
    reviewHidden: reviewHidden({ you, reason: evil }),
  };

  it.each(Object.entries(documents))(
    "%s escapes what people wrote in HTML and keeps the subject one line",
    (_, document) => {
      const mail = renderMail("a@example.com", document);
      const html = mail.html ?? "";
      expect(html).not.toContain("<img");
      expect(html).not.toContain(`"'&`);
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;");
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.text).toContain("alert(1)");
    },
  );
});

describe("booking mails", () => {
  it("ask the host to answer a request by its deadline, on the listing's clock, with their payout", () => {
    const respondBy = new Date("2026-06-02T10:00:00Z");
    const mail = renderMail(
      "host@example.com",
      bookingRequested({ host: bo, guest: ana, stay, respondBy, url }),
    );
    expect(mail.subject).toBe(
      "Booking request from Ana: Sunny loft by the canal, Wed 1 Jul 2026 – Sat 4 Jul 2026",
    );
    for (const part of [mail.text, textOf(mail.html ?? "")]) {
      expect(part).toContain("Hello Bo,");
      expect(part).toContain("by Tue 2 Jun 2026, 12:00 (Europe/Paris)");
      expect(part).toContain("Wed 1 Jul 2026, from 15:00");
      expect(part).toContain("Sat 4 Jul 2026, by 11:00");
      expect(part).toContain("3 nights, 2 guests");
      expect(part).toContain("€451.35");
      expect(part).not.toContain("€527.70");
    }
    expect(mail.text).toContain(`Answer the request: ${url}`);
  });

  it("tell the guest their refund in the listing's currency, or that none is due", () => {
    const base = { side: "guest" as const, you: ana, other: bo, stay, paid: true, url };
    const full = renderMail(
      "g@example.com",
      bookingCancelled({ ...base, cancelledBy: "host", refund: stay.total }),
    );
    expect(full.text).toContain("Bo cancelled the booking");
    expect(full.text).toContain("You get €527.70 back, the full amount");
    const half = renderMail(
      "g@example.com",
      bookingCancelled({ ...base, cancelledBy: "guest", refund: 26_385 }),
    );
    expect(half.text).toContain("You cancelled the booking");
    expect(half.text).toContain("You get €263.85 back of the €527.70 you paid");
    expect(textOf(half.html ?? "")).toContain("€263.85");
    const nothing = renderMail(
      "g@example.com",
      bookingCancelled({ ...base, cancelledBy: "guest", refund: 0 }),
    );
    expect(nothing.text).toContain("the €527.70 you paid is not refunded");
    const unpaid = renderMail(
      "g@example.com",
      bookingCancelled({ ...base, cancelledBy: "guest", paid: false, refund: 0 }),
    );
    expect(unpaid.text).toContain("Nothing was charged.");
    const yen = renderMail(
      "g@example.com",
      bookingCancelled({
        ...base,
        stay: { ...stay, currency: "JPY", total: 30_000 },
        cancelledBy: "host",
        refund: 30_000,
      }),
    );
    expect(yen.text).toContain("You get ¥30,000 back");
  });

  it("tell the host what the guest's cancellation leaves them", () => {
    const mail = renderMail(
      "h@example.com",
      bookingCancelled({
        side: "host",
        you: bo,
        other: ana,
        stay,
        cancelledBy: "guest",
        paid: true,
        refund: 26_385,
        url,
      }),
    );
    expect(mail.text).toContain("Ana cancelled the booking");
    expect(mail.text).toContain("The guest is refunded €263.85 of the €527.70 they paid");
    const host = { side: "host" as const, you: bo, other: ana, stay, cancelledBy: "guest" as const, url };
    const none = renderMail("h@example.com", bookingCancelled({ ...host, paid: true, refund: 0 }));
    expect(none.text).toContain("the guest is not refunded: your payout of €451.35 stands");
    const full = renderMail("h@example.com", bookingCancelled({ ...host, paid: true, refund: stay.total }));
    expect(full.text).toContain("The guest is refunded €527.70, the full amount: there is no payout");
    const kwd = renderMail(
      "h@example.com",
      bookingCancelled({
        ...host,
        stay: { ...stay, currency: "KWD", total: 90_500 },
        paid: true,
        refund: 45_250,
      }),
    );
    expect(kwd.text).toContain("The guest is refunded KWD\u00a045.250 of the KWD\u00a090.500 they paid");
  });
});

describe("review and message mails", () => {
  it("say until when reviews are open, on the listing's clock", () => {
    const closes = zonedInstant("2026-07-18", "11:00", "Europe/Paris");
    const mail = renderMail(
      "g@example.com",
      reviewWindowOpen({ side: "guest", you: ana, other: bo, stay, closes, url }),
    );
    expect(mail.subject).toBe("How was your stay at Sunny loft by the canal?");
    expect(mail.text).toContain("until Sat 18 Jul 2026, 11:00 (Europe/Paris)");
  });

  it("quote a review's comment escaped", () => {
    const mail = renderMail(
      "h@example.com",
      reviewPublished({
        you: bo,
        author: ana,
        side: "guest",
        listingTitle: "Loft",
        rating: 4,
        comment: "<b>Great</b> & clean",
        url,
      }),
    );
    expect(mail.text).toContain("★★★★☆ (4/5)");
    expect(mail.text).toContain("> <b>Great</b> & clean");
    expect(mail.html).toContain("&lt;b&gt;Great&lt;/b&gt; &amp; clean");
  });

  it("sum up unread messages, the latest quoted, times on the listing's clock", () => {
    const mail = renderMail(
      "h@example.com",
      unreadMessages({
        you: bo,
        other: ana,
        listingTitle: "Loft",
        timezone: "Europe/Paris",
        unread: 12,
        messages: [
          { from: ana, at: new Date("2026-06-01T12:05:00Z"), text: "Call me on [phone number hidden]" },
        ],
        url,
      }),
    );
    expect(mail.subject).toBe("Ana sent you 12 new messages about Loft");
    expect(mail.text).toContain("(the latest 1 below)");
    expect(mail.text).toContain(
      "Ana, Mon 1 Jun 2026, 14:05 (Europe/Paris):\n> Call me on [phone number hidden]",
    );
  });
});

describe("account mails", () => {
  it("give the reset link in both parts, escaped in HTML", () => {
    const url = "https://stayedge.example/reset-password?token=abc_-123&x=1";
    const mail = renderMail("a@example.com", passwordReset({ you: ana, url, validMinutes: 60 }));
    expect(mail.subject).toBe("Reset your stayedge password");
    expect(mail.text).toContain(`Choose a new password: ${url}\n`);
    expect(mail.text).toContain("for 60 minutes");
    expect(mail.html).toContain('href="https://stayedge.example/reset-password?token=abc_-123&amp;x=1"');
  });

  it("quote an administrator's reason escaped", () => {
    const mail = renderMail("a@example.com", reviewHidden({ you: ana, reason: "<i>Names</i> a neighbour" }));
    expect(mail.text).toContain("> <i>Names</i> a neighbour");
    expect(mail.html).toContain("&lt;i&gt;Names&lt;/i&gt; a neighbour");
  });
});

describe("nameBasedId", () => {
  it("gives the same UUID (version 5) for the same name, and another for another", async () => {
    const a = await nameBasedId("event-1:user-1:booking-confirmed");
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await nameBasedId("event-1:user-1:booking-confirmed")).toBe(a);
    expect(await nameBasedId("event-1:user-2:booking-confirmed")).not.toBe(a);
  });

  it("is RFC 9562's version 5 (the RFC's DNS-namespace example)", async () => {
    expect(await uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });
});
