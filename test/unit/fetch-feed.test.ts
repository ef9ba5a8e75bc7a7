import { describe, expect, it } from "vitest";
import { FEED_LIMITS, FeedError, fetchFeed } from "../../src/domain/calendar-sync/fetch-feed.ts";
import { OutboundRefusedError } from "../../src/ports.ts";
import { fakeFeeds } from "../support/fake-feeds.ts";

const FEED = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
const redirect =
  (location: string, status = 302) =>
  () =>
    new Response(null, { status, headers: { location } });

/** A body of `chunks` chunks of `size` bytes, each after `delayMs`; `pulled` counts what was read. */
function slowBody(chunks: number, size: number, delayMs = 0) {
  const state = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (state.pulled >= chunks) return controller.close();
      state.pulled++;
      controller.enqueue(new Uint8Array(size).fill(65));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

const failure = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeedError);
  return (error as FeedError).message;
};

describe("fetchFeed", () => {
  it("fetches the feed's text", async () => {
    const feeds = fakeFeeds();
    feeds.serve("https://cal.example.com/a.ics", FEED);
    expect(await fetchFeed(feeds.outbound, "https://cal.example.com/a.ics")).toBe(FEED);
  });

  it("follows up to 3 redirects, relative ones included, checking each hop", async () => {
    const feeds = fakeFeeds();
    feeds.serve("https://a.example.com/1", redirect("https://b.example.com/2", 301));
    feeds.serve("https://b.example.com/2", redirect("/3", 307));
    feeds.serve("https://b.example.com/3", redirect("https://c.example.com/4", 308));
    feeds.serve("https://c.example.com/4", FEED);
    expect(await fetchFeed(feeds.outbound, "https://a.example.com/1")).toBe(FEED);
    expect(feeds.requests).toHaveLength(4);
  });

  it("stops after 3 redirects", async () => {
    const feeds = fakeFeeds();
    for (let i = 1; i <= 4; i++) feeds.serve(`https://a.example.com/${i}`, redirect(`/${i + 1}`));
    feeds.serve("https://a.example.com/5", FEED);
    expect(await failure(fetchFeed(feeds.outbound, "https://a.example.com/1"))).toBe(
      "The feed redirected more than 3 times",
    );
    expect(feeds.requests).toHaveLength(4);
  });

  it.each([
    ["http://cal.example.com/plain", "Redirected to a URL that must be an https:// URL"],
    [
      "https://127.0.0.1/admin",
      "Redirected to a URL that names an address that is not on the public internet",
    ],
    [
      "https://[::ffff:169.254.169.254]/latest",
      "Redirected to a URL that names an address that is not on the public internet",
    ],
    [
      "https://metadata.google.internal/",
      "Redirected to a URL that names a host that is not on the public internet",
    ],
    ["file:///etc/passwd", "Redirected to a URL that must be an https:// URL"],
  ])("refuses a redirect to %s without requesting it", async (location, problem) => {
    const feeds = fakeFeeds();
    feeds.serve("https://cal.example.com/a.ics", redirect(location));
    expect(await failure(fetchFeed(feeds.outbound, "https://cal.example.com/a.ics"))).toBe(problem);
    expect(feeds.requests).toEqual(["https://cal.example.com/a.ics"]);
  });

  it("refuses a redirect to a name that resolves to a private address", async () => {
    const feeds = fakeFeeds();
    feeds.serve("https://cal.example.com/a.ics", redirect("https://inside.example.net/x"));
    feeds.resolveTo("inside.example.net", ["10.0.0.8"]);
    expect(await failure(fetchFeed(feeds.outbound, "https://cal.example.com/a.ics"))).toBe(
      "inside.example.net resolves to an address that is not on the public internet",
    );
    expect(feeds.requests).toHaveLength(1);
  });

  it("refuses the first hop when its name resolves to a private address (DNS rebinding)", async () => {
    const feeds = fakeFeeds();
    feeds.serve("https://cal.example.com/a.ics", FEED);
    feeds.resolveTo("cal.example.com", ["93.184.215.14", "127.0.0.1"]);
    expect(await failure(fetchFeed(feeds.outbound, "https://cal.example.com/a.ics"))).toMatch(
      /not on the public/,
    );
    expect(feeds.requests).toEqual([]);
  });

  it("says what an unsuccessful answer was", async () => {
    const feeds = fakeFeeds();
    feeds.serve("https://cal.example.com/gone", () => new Response("gone", { status: 410 }));
    feeds.serve("https://cal.example.com/lost", () => new Response(null, { status: 302 }));
    expect(await failure(fetchFeed(feeds.outbound, "https://cal.example.com/gone"))).toBe(
      "The feed answered HTTP 410",
    );
    expect(await failure(fetchFeed(feeds.outbound, "https://cal.example.com/lost"))).toBe(
      "The feed answered HTTP 302 without a Location",
    );
    expect(await failure(fetchFeed(feeds.outbound, "https://cal.example.com/none"))).toBe(
      "The feed answered HTTP 404",
    );
  });

  it("refuses a body larger than the limit, by its Content-Length, without reading it", async () => {
    const feeds = fakeFeeds();
    const { body, state } = slowBody(100, 1024);
    feeds.serve(
      "https://cal.example.com/big",
      () => new Response(body, { headers: { "content-length": String(FEED_LIMITS.maxBytes + 1) } }),
    );
    expect(await failure(fetchFeed(feeds.outbound, "https://cal.example.com/big"))).toBe(
      "The feed is larger than 1024 KiB",
    );
    expect(state.pulled).toBeLessThanOrEqual(1);
  });

  it("stops reading a streamed body once it passes the limit", async () => {
    const feeds = fakeFeeds();
    // 64 KiB chunks, without end: only the first 17 are ever read.
    const { body, state } = slowBody(Number.MAX_SAFE_INTEGER, 65_536);
    feeds.serve("https://cal.example.com/endless", () => new Response(body));
    expect(await failure(fetchFeed(feeds.outbound, "https://cal.example.com/endless"))).toBe(
      "The feed is larger than 1024 KiB",
    );
    expect(state.pulled).toBeLessThan(20);
    expect(state.cancelled).toBe(true);
  });

  it("gives up on a server that does not answer in time, even if the port ignores its signal", async () => {
    const feeds = fakeFeeds();
    feeds.serve("https://cal.example.com/silent", () => new Promise<Response>(() => undefined));
    const limits = { ...FEED_LIMITS, timeoutMs: 50 };
    expect(await failure(fetchFeed(feeds.outbound, "https://cal.example.com/silent", limits))).toBe(
      "The feed took longer than 0.05 s to arrive",
    );
  });

  it("gives up on a body that trickles in past the time limit", async () => {
    const feeds = fakeFeeds();
    const { body, state } = slowBody(1000, 10, 20);
    feeds.serve("https://cal.example.com/trickle", () => new Response(body));
    const limits = { ...FEED_LIMITS, timeoutMs: 100 };
    expect(await failure(fetchFeed(feeds.outbound, "https://cal.example.com/trickle", limits))).toMatch(
      /took longer/,
    );
    expect(state.cancelled).toBe(true);
  });

  it("says a host could not be reached, or that the port refused it", async () => {
    const feeds = fakeFeeds();
    feeds.serve("https://down.example.com/a", () => Promise.reject(new TypeError("fetch failed")));
    feeds.serve("https://rebound.example.com/a", () =>
      Promise.reject(
        new OutboundRefusedError(
          "rebound.example.com resolves to an address that is not on the public internet",
        ),
      ),
    );
    expect(await failure(fetchFeed(feeds.outbound, "https://down.example.com/a"))).toBe(
      "down.example.com could not be reached",
    );
    expect(await failure(fetchFeed(feeds.outbound, "https://rebound.example.com/a"))).toMatch(
      /not on the public/,
    );
  });

  it("says a name could not be resolved", async () => {
    const feeds = fakeFeeds();
    feeds.resolveTo("typo.example.com", []);
    expect(await failure(fetchFeed(feeds.outbound, "https://typo.example.com/a"))).toBe(
      "typo.example.com could not be resolved",
    );
  });
});
