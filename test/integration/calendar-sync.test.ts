import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calendarDays, calendarImports } from "../../src/db/schema/index.ts";
import { FEED_LIMITS } from "../../src/domain/calendar-sync/fetch-feed.ts";
import { parseIcal } from "../../src/domain/calendar-sync/ical-parse.ts";
import { syncCalendarImport } from "../../src/domain/calendar-sync/sync-calendar-import.ts";
import { scheduledTick } from "../../src/jobs.ts";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import * as routes from "../../src/routes/calendar/calendar.routes.ts";
import * as syncRoutes from "../../src/routes/calendar/calendar-sync.routes.ts";
import { expectStatus } from "../support/api.ts";
import { type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { expectCalendarInvariants } from "../support/booking-invariants.ts";
import { fakeFeeds, icsOf } from "../support/fake-feeds.ts";
import { createListing } from "../support/listing-factory.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

const ADMIN_EMAIL = "calendar-sync-admin@example.com";
// 2026-06-01T12:00Z: 14:00 in Paris, where the listings are.
const clock = manualClock(new Date("2026-06-01T12:00:00Z"));
const feeds = fakeFeeds();
const MINUTE = 60_000;
let t: TestApp;
let host: SignedUpUser;
let guest: SignedUpUser;
let stranger: SignedUpUser;
let admin: SignedUpUser;

beforeAll(async () => {
  t = await createTestApp({ env: { ADMIN_EMAIL }, deps: { clock, outbound: feeds.outbound } });
  [host, guest, stranger, admin] = await Promise.all([
    signUp(t),
    signUp(t, { name: "Guestina Feedwatcher" }),
    signUp(t),
    signUp(t, { email: ADMIN_EMAIL }),
  ]);
});
afterAll(async () => {
  await expectCalendarInvariants(db());
  await t.close();
});

const db = () => t.db.database.connect().db;
let feedNumber = 0;
/** A URL of its own for each feed a test serves. */
const nextFeed = () => `https://feeds.example.com/ical/${++feedNumber}.ics`;

const newListing = async () =>
  (await createListing(t, host.accessToken, { instantBook: true, minNights: 1 })).id;

async function book(listingId: string, checkIn: string, checkOut: string) {
  const answer = await t.call(bookingRoutes.createBooking, {
    token: guest.accessToken,
    body: { listingId, checkIn, checkOut, guests: 2 },
  });
  expectStatus(answer, 201);
  return answer.body;
}

const block = async (id: string, from: string, to: string, token = host.accessToken) =>
  expectStatus(
    await t.call(routes.updateCalendar, { token, params: { id }, body: { block: [{ from, to }] } }),
    200,
  );

/** The statuses of the dates `[from, to)` as one line: `a` available, `x` blocked, `b` booked. */
async function statuses(id: string, from: string, to: string): Promise<string> {
  const answer = await t.call(routes.getCalendar, {
    token: host.accessToken,
    params: { id },
    query: { from, to },
  });
  expectStatus(answer, 200);
  const letter = { available: "a", blocked: "x", booked: "b" } as const;
  return answer.body.days.map((d) => letter[d.status]).join("");
}

const exportUrl = (id: string, token = host.accessToken) =>
  t.call(syncRoutes.getExportUrl, { token, params: { id } });
const rotate = (id: string, token = host.accessToken) =>
  t.call(syncRoutes.rotateExportUrl, { token, params: { id } });
/** The feed at an absolute URL the API handed out, through the app. */
const readFeed = (url: string, headers: Record<string, string> = {}) => {
  const { pathname, search } = new URL(url);
  return t.request(`${pathname}${search}`, { headers });
};

async function feedUrlOf(id: string): Promise<string> {
  const answer = await exportUrl(id);
  expectStatus(answer, 200);
  return answer.body.url;
}

const addImport = (id: string, url: string, token = host.accessToken, name?: string) =>
  t.call(syncRoutes.addImport, { token, params: { id }, body: { url, ...(name && { name }) } });
const listImports = (id: string, token = host.accessToken) =>
  t.call(syncRoutes.listImports, { token, params: { id } });
const removeImport = (id: string, importId: string, token = host.accessToken) =>
  t.call(syncRoutes.removeImport, { token, params: { id, importId } });

/** Imports a feed served at a new URL: the import's id and URL. */
async function importing(listingId: string, ics: string) {
  const url = nextFeed();
  feeds.serve(url, ics);
  const added = await addImport(listingId, url);
  expectStatus(added, 201);
  return { importId: added.body.id, url };
}

const sync = (importId: string, limits = FEED_LIMITS) =>
  syncCalendarImport({ ctx: { db: db(), deps: t.deps }, input: { importId, limits } });

async function importOf(listingId: string, importId: string) {
  const answer = await listImports(listingId);
  expectStatus(answer, 200);
  const found = answer.body.items.find((item) => item.id === importId);
  if (!found) throw new Error(`import ${importId} is not listed`);
  return found;
}

/** The dates of the listing an import owns. */
const ownedDays = async (listingId: string) =>
  (
    await db()
      .select({ day: calendarDays.day })
      .from(calendarDays)
      .where(and(eq(calendarDays.listingId, listingId), isNotNull(calendarDays.importId)))
      .orderBy(calendarDays.day)
  ).map((row) => row.day);

describe("calendar.exportUrl and calendar.export", () => {
  it("gives the host a feed URL with a 256-bit secret, the same on every read, and admins the same", async () => {
    const id = await newListing();
    const first = await exportUrl(id);
    expectStatus(first, 200);
    expect(first.body.url).toMatch(
      new RegExp(`^http://localhost/v1/listings/${id}/calendar\\.ics\\?token=[\\w-]{43}$`),
    );
    const again = await exportUrl(id);
    expectStatus(again, 200);
    expect(again.body).toEqual(first.body);
    const byAdmin = await exportUrl(id, admin.accessToken);
    expectStatus(byAdmin, 200);
    expect(byAdmin.body.url).toBe(first.body.url);
  });

  it("answers 404 to anyone but the host and admins, even for a published listing", async () => {
    const id = await newListing();
    for (const token of [stranger.accessToken, guest.accessToken]) {
      expectStatus(await exportUrl(id, token), 404);
      expectStatus(await rotate(id, token), 404);
    }
    expectStatus(await t.call(syncRoutes.getExportUrl, { params: { id } }), 401);
  });

  it("serves booked stays and the host's blocks as RFC 5545 all-day events, and nothing about the guest", async () => {
    const id = await newListing();
    const booking = await book(id, "2026-07-10", "2026-07-13");
    await block(id, "2026-07-20", "2026-07-23");
    await block(id, "2026-07-23", "2026-07-24");
    const response = await readFeed(await feedUrlOf(id));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    const text = await response.text();
    expect(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    for (const line of text.split("\r\n"))
      expect(new TextEncoder().encode(line).byteLength).toBeLessThanOrEqual(75);
    expect(text).toContain("DTSTART;VALUE=DATE:20260710\r\nDTEND;VALUE=DATE:20260713\r\n");
    for (const secret of [booking.id, guest.id, guest.email, guest.name, "Guestina"])
      expect(text).not.toContain(secret);
    const { events } = parseIcal(text);
    expect(events.map((e) => [e.summary, e.start, e.end])).toEqual([
      ["Reserved", { kind: "date", date: "2026-07-10" }, { kind: "date", date: "2026-07-13" }],
      ["Not available", { kind: "date", date: "2026-07-20" }, { kind: "date", date: "2026-07-24" }],
    ]);
    const again = parseIcal(await (await readFeed(await feedUrlOf(id))).text()).events;
    expect(again.map((e) => e.uid)).toEqual(events.map((e) => e.uid));
    expect(events.every((e) => /^[0-9a-f]{32}@stayedge$/.test(e.uid ?? ""))).toBe(true);
  });

  it("answers 304 while the events stay the same, and a new ETag once they change", async () => {
    const id = await newListing();
    const url = await feedUrlOf(id);
    const first = await readFeed(url);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/"[0-9a-f]{32}"$/);
    clock.advance(MINUTE);
    const unchanged = await readFeed(url, { "if-none-match": etag });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe("");
    await book(id, "2026-08-01", "2026-08-03");
    const changed = await readFeed(url, { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("answers 404 for an unknown token, a missing one, and another listing's", async () => {
    const id = await newListing();
    const other = await newListing();
    const token = new URL(await feedUrlOf(id)).searchParams.get("token") ?? "";
    const feed = (listing: string, query?: Record<string, string>) =>
      t.call(syncRoutes.exportCalendar, { params: { id: listing }, ...(query && { query }) });
    expectStatus(await feed(id, { token }), 200);
    expectStatus(await feed(id, { token: "A".repeat(43) }), 404);
    expectStatus(await feed(id), 404);
    expectStatus(await feed(other, { token }), 404);
    expectStatus(await feed(crypto.randomUUID(), { token }), 404);
    // A malformed secret is a wrong one: 404, not a 400 that would describe the secret's shape.
    expectStatus(await feed(id, { token: "short" }), 404);
    expectStatus(await feed(id, { token: `${token}x` }), 404);
    const absurd = await feed(id, { token: "A".repeat(129) });
    expectStatus(absurd, 400);
    expect(JSON.stringify(absurd.body)).toContain("query.token");
  });

  it("answers 429 with Retry-After past 10 reads a minute of one feed by one client, whatever the token", async () => {
    const id = await newListing();
    const url = await feedUrlOf(id);
    const wrong = url.replace(/token=[\w-]+/, `token=${"A".repeat(43)}`);
    const from = (ip: string, headers: Record<string, string> = {}) => ({
      "x-forwarded-for": ip,
      ...headers,
    });
    for (let i = 0; i < 5; i++) {
      expect((await readFeed(url, from("198.51.100.7"))).status).toBe(200);
      expect((await readFeed(wrong, from("198.51.100.7"))).status).toBe(404);
    }
    const limited = [];
    for (const feed of [url, wrong]) {
      const answer = await readFeed(feed, from("198.51.100.7"));
      expect(answer.status).toBe(429);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      const { requestId: _, ...problem } = (await answer.json()) as Record<string, unknown>;
      limited.push({ retryAfter: answer.headers.get("retry-after"), problem });
    }
    // The right token and a wrong one are answered alike once limited: nothing tells them apart.
    expect(limited[1]).toEqual(limited[0]);
    expect(limited[0]?.problem).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    // Another client of the same feed, and the same client on another listing's feed, read on.
    expect((await readFeed(url, from("203.0.113.9"))).status).toBe(200);
    expect((await readFeed(await feedUrlOf(await newListing()), from("198.51.100.7"))).status).toBe(200);
    clock.advance(2 * MINUTE);
    expect((await readFeed(url, from("198.51.100.7"))).status).toBe(200);
  });

  it("answers 304 to If-None-Match by weak comparison, and to *", async () => {
    const id = await newListing();
    const url = await feedUrlOf(id);
    const etag = (await readFeed(url)).headers.get("etag") ?? "";
    const strong = etag.replace(/^W\//, "");
    expect((await readFeed(url, { "if-none-match": strong })).status).toBe(304);
    expect((await readFeed(url, { "if-none-match": `"other", ${etag}` })).status).toBe(304);
    expect((await readFeed(url, { "if-none-match": "*" })).status).toBe(304);
    expect((await readFeed(url, { "if-none-match": '"other"' })).status).toBe(200);
  });

  it("rotates to a new URL: the new one works at once, the old one is 404 at once", async () => {
    const id = await newListing();
    const old = await feedUrlOf(id);
    const rotated = await rotate(id);
    expectStatus(rotated, 200);
    expect(rotated.body.url).not.toBe(old);
    expect((await readFeed(old)).status).toBe(404);
    expect((await readFeed(rotated.body.url)).status).toBe(200);
    expect(await feedUrlOf(id)).toBe(rotated.body.url);
    const byAdmin = await rotate(id, admin.accessToken);
    expectStatus(byAdmin, 200);
    expect((await readFeed(rotated.body.url)).status).toBe(404);
  });
});

describe("calendar.addImport, listImports and removeImport", () => {
  it("adds an import for the next sync, and lists it", async () => {
    const id = await newListing();
    const added = await addImport(id, "webcal://feeds.example.com/airbnb.ics#x", host.accessToken, "Airbnb");
    expectStatus(added, 201);
    expect(added.headers.get("location")).toBe(`/v1/listings/${id}/calendar/imports`);
    expect(added.body).toMatchObject({
      listingId: id,
      url: "https://feeds.example.com/airbnb.ics",
      name: "Airbnb",
      status: "pending",
      lastFetchedAt: null,
      nextFetchAt: clock.now().toISOString(),
      blockedDays: 0,
      conflicts: [],
    });
    const listed = await listImports(id);
    expectStatus(listed, 200);
    expect(listed.body.items).toEqual([added.body]);
  });

  it("answers 404 to anyone but the host and admins, for every operation", async () => {
    const id = await newListing();
    const { importId } = await importing(id, icsOf([]));
    for (const token of [stranger.accessToken, guest.accessToken]) {
      expectStatus(await addImport(id, nextFeed(), token), 404);
      expectStatus(await listImports(id, token), 404);
      expectStatus(await removeImport(id, importId, token), 404);
    }
    expectStatus(await listImports(id, admin.accessToken), 200);
    // An import is reached only through its own listing.
    const other = await newListing();
    expectStatus(await removeImport(other, importId), 404);
    expectStatus(await removeImport(id, crypto.randomUUID()), 404);
    expect((await importOf(id, importId)).id).toBe(importId);
    expectStatus(await removeImport(id, importId, admin.accessToken), 204);
  });

  it.each([
    "http://feeds.example.com/a.ics",
    "file:///etc/passwd",
    "data:text/calendar,BEGIN:VCALENDAR",
    "ftp://feeds.example.com/a.ics",
    "https://localhost/a.ics",
    "https://localhost./a.ics",
    "https://127.0.0.1/a.ics",
    "https://2130706433/a.ics",
    "https://0x7f.1/a.ics",
    "https://[::1]/a.ics",
    "https://[::ffff:127.0.0.1]/a.ics",
    "https://[fe80::1]/a.ics",
    "https://[fc00::1]/a.ics",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/a.ics",
    "https://10.0.0.1/a.ics",
    "https://0.0.0.0/a.ics",
    "https://printer.local/a.ics",
    "https://metadata.google.internal/a.ics",
    "https://user:secret@feeds.example.com/a.ics",
  ])("refuses %s with a 400 naming body.url", async (url) => {
    const id = await newListing();
    const refused = await addImport(id, url);
    expectStatus(refused, 400);
    expect(refused.body.errors?.map((e) => e.location)).toEqual(["body.url"]);
    expectStatus(await listImports(id), 200);
    expect((await listImports(id)).body).toEqual({ items: [] });
  });

  it("refuses a name that resolves to a private address", async () => {
    const id = await newListing();
    feeds.resolveTo("inside.example.org", ["93.184.215.14", "10.20.30.40"]);
    const refused = await addImport(id, "https://inside.example.org/a.ics");
    expectStatus(refused, 400);
    expect(refused.body.errors).toEqual([
      {
        location: "body.url",
        message: "inside.example.org resolves to an address that is not on the public internet",
      },
    ]);
    expect(refused.text).not.toContain("10.20.30.40");
  });

  it("refuses the same feed twice and more than 10 feeds a listing (409)", async () => {
    const id = await newListing();
    const url = nextFeed();
    expectStatus(await addImport(id, url), 201);
    expectStatus(await addImport(id, url), 409);
    for (let i = 1; i < 10; i++) expectStatus(await addImport(id, nextFeed()), 201);
    const eleventh = await addImport(id, nextFeed());
    expectStatus(eleventh, 409);
    expect(eleventh.body.detail).toBe("A listing imports at most 10 calendars.");
  });
});

describe("syncing an import", () => {
  it("blocks the feed's busy dates, and moves and opens them as the feed changes", async () => {
    const id = await newListing();
    const { importId, url } = await importing(
      id,
      icsOf([
        { uid: "a", from: "2026-07-02", to: "2026-07-04" },
        { uid: "b", from: "2026-07-06", to: "2026-07-07" },
        { uid: "gone", from: "2026-07-08", to: "2026-07-09", status: "CANCELLED" },
        // Past dates are history: a sync never writes them.
        { uid: "past", from: "2026-05-01", to: "2026-05-03" },
      ]),
    );
    expect(await sync(importId)).toBe("synced");
    expect(await statuses(id, "2026-07-01", "2026-07-10")).toBe("axxaaxaaa");
    expect(await importOf(id, importId)).toMatchObject({
      status: "synced",
      lastError: null,
      blockedDays: 3,
      conflicts: [],
      lastSyncedAt: clock.now().toISOString(),
      nextFetchAt: new Date(clock.now().getTime() + 30 * MINUTE).toISOString(),
    });
    feeds.serve(url, icsOf([{ uid: "a", from: "2026-07-03", to: "2026-07-05" }]));
    expect(await sync(importId)).toBe("synced");
    expect(await statuses(id, "2026-07-01", "2026-07-10")).toBe("aaxxaaaaa");
    expect(await ownedDays(id)).toEqual(["2026-07-03", "2026-07-04"]);
    feeds.serve(url, icsOf([]));
    await sync(importId);
    expect(await statuses(id, "2026-07-01", "2026-07-10")).toBe("aaaaaaaaa");
    expect(await ownedDays(id)).toEqual([]);
  });

  it("reads date-times as the listing's local dates", async () => {
    const id = await newListing();
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "BEGIN:VEVENT",
      "UID:stay",
      // 16:00 in Paris on the 10th to 10:00 on the 12th.
      "DTSTART:20260710T140000Z",
      "DTEND:20260712T080000Z",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:week",
      "DTSTART;VALUE=DATE:20260720",
      "DURATION:P1W",
      "END:VEVENT",
      "END:VCALENDAR",
    ].join("\r\n");
    const { importId } = await importing(id, ics);
    await sync(importId);
    expect(await statuses(id, "2026-07-09", "2026-07-13")).toBe("axxa");
    expect(await statuses(id, "2026-07-19", "2026-07-28")).toBe("axxxxxxxa");
  });

  it("blocks every occurrence of a recurring event as far as the calendar reaches, less its EXDATEs", async () => {
    const id = await newListing();
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
      "BEGIN:VEVENT",
      "DTSTART;VALUE=DATE:20250104",
      "DTEND;VALUE=DATE:20250105",
      "RRULE:FREQ=WEEKLY;BYDAY=SA",
      "EXDATE;VALUE=DATE:20260711",
      "DTSTAMP:20260601T101500Z",
      "UID:saturdays@google.com",
      "SUMMARY:Family nights",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "DTSTART;TZID=Europe/Paris:20260801T150000",
      "DTEND;TZID=Europe/Paris:20260803T110000",
      "RRULE:FREQ=MONTHLY;COUNT=2",
      "DTSTAMP:20260601T101500Z",
      "UID:monthly@google.com",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ].join("\r\n");
    const { importId, url } = await importing(id, ics);
    expect(await sync(importId)).toBe("synced");
    expect(await statuses(id, "2026-07-01", "2026-07-22")).toBe("aaaxaaaaaaaaaaaaaxaaa");
    // Saturdays, and the monthly stay's two nights from the 1st (a Saturday in August).
    expect(await statuses(id, "2026-07-31", "2026-09-04")).toBe("axxaaaaaxaaaaaaxaaaaaaxaaaaaaxaaxxa");
    // Today is 2026-06-01 in Paris; the calendar reaches 1825 days on.
    let saturdays = 0;
    for (let day = Date.parse("2026-06-01"); day < Date.parse("2031-05-31"); day += 86_400_000) {
      if (new Date(day).getUTCDay() === 6) saturdays++;
    }
    expect(await importOf(id, importId)).toMatchObject({ lastError: null, blockedDays: saturdays - 1 + 3 });
    // The feed drops the rule: its first date stays, and it is in the past.
    feeds.serve(url, ics.replace("RRULE:FREQ=WEEKLY;BYDAY=SA\r\n", ""));
    await sync(importId);
    expect(await importOf(id, importId)).toMatchObject({ blockedDays: 4 });
    expect(await statuses(id, "2026-07-01", "2026-07-22")).toBe("a".repeat(21));
  });

  it("reports nights a booking holds as conflicts, and applies the rest of the feed", async () => {
    const id = await newListing();
    await book(id, "2026-07-10", "2026-07-13");
    const { importId } = await importing(id, icsOf([{ uid: "clash", from: "2026-07-08", to: "2026-07-15" }]));
    await sync(importId);
    expect(await statuses(id, "2026-07-07", "2026-07-16")).toBe("axxbbbxxa");
    expect(await importOf(id, importId)).toMatchObject({
      status: "synced",
      blockedDays: 4,
      conflicts: [{ from: "2026-07-10", to: "2026-07-13", reason: "booked" }],
    });
  });

  it("never lets a booking and an import take the same night, however a sync and a booking interleave", async () => {
    // Which comes first is up to the database: each outcome is checked whole.
    for (let round = 0; round < 6; round++) {
      const id = await newListing();
      const { importId } = await importing(id, icsOf([{ uid: "a", from: "2026-09-10", to: "2026-09-12" }]));
      const [synced, booked] = await Promise.all([
        sync(importId),
        t.call(bookingRoutes.createBooking, {
          token: guest.accessToken,
          body: { listingId: id, checkIn: "2026-09-11", checkOut: "2026-09-13", guests: 2 },
        }),
      ]);
      expect(synced).toBe("synced");
      const view = await importOf(id, importId);
      if (booked.status === 201) {
        // The booking came first: the night it holds is the import's conflict, the other is blocked.
        expect(view).toMatchObject({
          blockedDays: 1,
          conflicts: [{ from: "2026-09-11", to: "2026-09-12", reason: "booked" }],
        });
        expect(await statuses(id, "2026-09-10", "2026-09-13")).toBe("xbb");
      } else {
        expectStatus(booked, 409);
        expect(view).toMatchObject({ blockedDays: 2, conflicts: [] });
        expect(await statuses(id, "2026-09-10", "2026-09-13")).toBe("xxa");
      }
    }
    await expectCalendarInvariants(db());
  });

  it("never touches the host's own blocks, and reports them as conflicts", async () => {
    const id = await newListing();
    await block(id, "2026-07-05", "2026-07-07");
    const { importId, url } = await importing(
      id,
      icsOf([{ uid: "x", from: "2026-07-04", to: "2026-07-08" }]),
    );
    await sync(importId);
    expect(await statuses(id, "2026-07-03", "2026-07-09")).toBe("axxxxa");
    expect(await ownedDays(id)).toEqual(["2026-07-04", "2026-07-07"]);
    expect((await importOf(id, importId)).conflicts).toEqual([
      { from: "2026-07-05", to: "2026-07-07", reason: "blocked" },
    ]);
    feeds.serve(url, icsOf([]));
    await sync(importId);
    expect(await statuses(id, "2026-07-03", "2026-07-09")).toBe("aaxxaa");
    expect((await importOf(id, importId)).conflicts).toEqual([]);
  });

  it("gives a date to the host once the host blocks it, and opens one the host opens until the feed says so again", async () => {
    const id = await newListing();
    const { importId, url } = await importing(
      id,
      icsOf([{ uid: "x", from: "2026-07-04", to: "2026-07-07" }]),
    );
    await sync(importId);
    await block(id, "2026-07-04", "2026-07-05");
    expectStatus(
      await t.call(routes.updateCalendar, {
        token: host.accessToken,
        params: { id },
        body: { unblock: [{ from: "2026-07-06", to: "2026-07-07" }] },
      }),
      200,
    );
    expect(await statuses(id, "2026-07-04", "2026-07-07")).toBe("xxa");
    expect(await ownedDays(id)).toEqual(["2026-07-05"]);
    feeds.serve(url, icsOf([]));
    await sync(importId);
    // The host's block stays; the feed's is gone.
    expect(await statuses(id, "2026-07-04", "2026-07-07")).toBe("xaa");
  });

  it("leaves dates another import blocks to it, and says so", async () => {
    const id = await newListing();
    const first = await importing(id, icsOf([{ uid: "a", from: "2026-07-04", to: "2026-07-06" }]));
    const second = await importing(id, icsOf([{ uid: "b", from: "2026-07-05", to: "2026-07-07" }]));
    await sync(first.importId);
    await sync(second.importId);
    expect(await statuses(id, "2026-07-04", "2026-07-07")).toBe("xxx");
    expect(await importOf(id, second.importId)).toMatchObject({
      blockedDays: 1,
      conflicts: [{ from: "2026-07-05", to: "2026-07-06", reason: "imported" }],
    });
  });

  it("keeps imported dates out of the listing's own feed", async () => {
    const id = await newListing();
    const { importId } = await importing(id, icsOf([{ uid: "a", from: "2026-07-04", to: "2026-07-06" }]));
    await sync(importId);
    await block(id, "2026-07-10", "2026-07-11");
    const { events } = parseIcal(await (await readFeed(await feedUrlOf(id))).text());
    expect(events.map((e) => e.start)).toEqual([{ kind: "date", date: "2026-07-10" }]);
  });

  it("opens the dates of a removed import, keeping the host's prices and blocks", async () => {
    const id = await newListing();
    await block(id, "2026-07-01", "2026-07-02");
    expectStatus(
      await t.call(routes.updateCalendar, {
        token: host.accessToken,
        params: { id },
        body: { setPrice: [{ from: "2026-07-03", to: "2026-07-04", price: 20_000 }] },
      }),
      200,
    );
    const { importId } = await importing(id, icsOf([{ uid: "a", from: "2026-07-01", to: "2026-07-05" }]));
    await sync(importId);
    expect(await statuses(id, "2026-07-01", "2026-07-05")).toBe("xxxx");
    expectStatus(await removeImport(id, importId), 204);
    expect(await statuses(id, "2026-07-01", "2026-07-05")).toBe("xaaa");
    const priced = await t.call(routes.getCalendar, {
      params: { id },
      query: { from: "2026-07-03", to: "2026-07-04" },
    });
    expectStatus(priced, 200);
    expect(priced.body.days[0]?.price).toBe(20_000);
    expect(await ownedDays(id)).toEqual([]);
    expect((await listImports(id)).body).toEqual({ items: [] });
  });

  it("records a feed it cannot read, keeps the last good dates, and backs off", async () => {
    const id = await newListing();
    const { importId, url } = await importing(
      id,
      icsOf([{ uid: "a", from: "2026-07-04", to: "2026-07-05" }]),
    );
    await sync(importId);
    feeds.serve(
      url,
      () => new Response("<html>Sign in</html>", { headers: { "content-type": "text/html" } }),
    );
    expect(await sync(importId)).toBe("failed");
    expect(await importOf(id, importId)).toMatchObject({
      status: "failing",
      lastError: "The feed is not an iCalendar file: it does not start with BEGIN:VCALENDAR",
      blockedDays: 1,
      nextFetchAt: new Date(clock.now().getTime() + 5 * MINUTE).toISOString(),
    });
    expect(await statuses(id, "2026-07-04", "2026-07-05")).toBe("x");
    // Cut off half-way: refused too, rather than read as "no events".
    feeds.serve(url, icsOf([{ uid: "a", from: "2026-07-04", to: "2026-07-05" }]).slice(0, 80));
    await sync(importId);
    expect(await importOf(id, importId)).toMatchObject({
      lastError: expect.stringMatching(/cut off/),
      nextFetchAt: new Date(clock.now().getTime() + 10 * MINUTE).toISOString(),
    });
    feeds.serve(url, () => new Response("down", { status: 503 }));
    await sync(importId);
    expect((await importOf(id, importId)).lastError).toBe("The feed answered HTTP 503");
    feeds.serve(url, icsOf([]));
    await sync(importId);
    expect(await importOf(id, importId)).toMatchObject({ status: "synced", lastError: null, blockedDays: 0 });
  });

  it("applies the events it can read and names the ones it cannot", async () => {
    const id = await newListing();
    const ics = icsOf([{ uid: "good", from: "2026-07-04", to: "2026-07-05" }]).replace(
      "END:VCALENDAR",
      "BEGIN:VEVENT\r\nUID:bad\r\nDTSTART:someday\r\nEND:VEVENT\r\nEND:VCALENDAR",
    );
    const { importId } = await importing(id, ics);
    expect(await sync(importId)).toBe("synced");
    expect(await importOf(id, importId)).toMatchObject({
      status: "synced",
      blockedDays: 1,
      lastError:
        "1 event(s) could not be read: The event bad has a DTSTART that is not a date or a date-time",
    });
  });

  it("stops reading a feed larger than 1 MiB", async () => {
    const id = await newListing();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 65_536;
        controller.enqueue(new Uint8Array(65_536).fill(32));
      },
    });
    const { importId, url } = await importing(id, icsOf([]));
    feeds.serve(url, () => new Response(body));
    expect(await sync(importId)).toBe("failed");
    expect((await importOf(id, importId)).lastError).toBe("The feed is larger than 1024 KiB");
    expect(sent).toBeLessThan(2 * 1_048_576);
  });

  it("gives up on a feed that does not answer in time", async () => {
    const id = await newListing();
    const { importId, url } = await importing(id, icsOf([]));
    feeds.serve(url, () => new Promise<Response>(() => undefined));
    expect(await sync(importId, { ...FEED_LIMITS, timeoutMs: 50 })).toBe("failed");
    expect((await importOf(id, importId)).lastError).toBe("The feed took longer than 0.05 s to arrive");
    // Answering again, so that later ticks do not wait on it for the full time limit.
    feeds.serve(url, icsOf([]));
  });

  it("refuses to fetch once the feed's name resolves to a private address (DNS rebinding)", async () => {
    const id = await newListing();
    const url = "https://rebinding.example.net/feed.ics";
    feeds.serve(url, icsOf([{ uid: "a", from: "2026-07-04", to: "2026-07-05" }]));
    const added = await addImport(id, url);
    expectStatus(added, 201);
    feeds.resolveTo("rebinding.example.net", ["127.0.0.1"]);
    const before = feeds.requests.length;
    expect(await sync(added.body.id)).toBe("failed");
    expect(feeds.requests.length).toBe(before);
    expect((await importOf(id, added.body.id)).lastError).toBe(
      "rebinding.example.net resolves to an address that is not on the public internet",
    );
    expect(await statuses(id, "2026-07-04", "2026-07-05")).toBe("a");
  });

  it("refuses a redirect to a private address, without following it", async () => {
    const id = await newListing();
    const { importId, url } = await importing(id, icsOf([]));
    feeds.serve(
      url,
      () => new Response(null, { status: 302, headers: { location: "https://169.254.169.254/latest" } }),
    );
    const before = feeds.requests.length;
    await sync(importId);
    expect(feeds.requests.length).toBe(before + 1);
    expect((await importOf(id, importId)).lastError).toBe(
      "Redirected to a URL that names an address that is not on the public internet",
    );
  });
});

describe("the periodic tick", () => {
  it("hands each due import to a sync job once, and fetches it again 30 minutes later", async () => {
    const id = await newListing();
    const { importId, url } = await importing(
      id,
      icsOf([{ uid: "a", from: "2026-07-04", to: "2026-07-05" }]),
    );
    const fetchesOf = () => feeds.requests.filter((request) => request === url).length;
    // A tick claims 25 imports at most, and earlier tests left many due: a few ticks at the same
    // instant work through them, as ticks five minutes apart would.
    const ticks = async () => {
      for (let i = 0; i < 4; i++) {
        await scheduledTick(t.deps);
        await t.deps.drainJobs();
      }
    };
    await ticks();
    expect(fetchesOf()).toBe(1);
    expect(await statuses(id, "2026-07-04", "2026-07-05")).toBe("x");
    await ticks();
    expect(fetchesOf()).toBe(1);
    clock.advance(31 * MINUTE);
    await ticks();
    expect(fetchesOf()).toBe(2);
    // Read from the database: the host's access token ran out while the clock moved.
    const [row] = await db()
      .select({ lastSyncedAt: calendarImports.lastSyncedAt })
      .from(calendarImports)
      .where(eq(calendarImports.id, importId));
    expect(row?.lastSyncedAt).toEqual(clock.now());
  });
});
