import type { Outbound } from "../../src/ports.ts";

/** A public address (example.com's), what names resolve to in tests unless told otherwise. */
export const PUBLIC_ADDRESS = "93.184.215.14";

/** The outbound port of every test app unless a test brings its own: nothing leaves the process. */
export const offlineOutbound: Outbound = {
  resolve: async () => [PUBLIC_ADDRESS],
  fetch: async (url) => {
    throw new Error(`tests do not reach the network (${url})`);
  },
};

export type FeedHandler = (init: {
  headers: Record<string, string>;
  signal: AbortSignal;
}) => Response | Promise<Response>;

/**
 * An outbound port serving feeds from memory: `serve(url, …)` answers a URL, `resolveTo(host, …)`
 * says what a name resolves to (a public address by default), and `requests` lists what was
 * fetched, in order.
 */
export function fakeFeeds() {
  const answers = new Map<string, FeedHandler>();
  const names = new Map<string, string[]>();
  const requests: string[] = [];
  const outbound: Outbound = {
    resolve: async (host) => names.get(host) ?? [PUBLIC_ADDRESS],
    fetch: async (url, init) => {
      requests.push(url);
      const answer = answers.get(url);
      return answer ? answer(init) : new Response("no such feed", { status: 404 });
    },
  };
  return {
    outbound,
    requests,
    serve(url: string, answer: string | FeedHandler) {
      answers.set(
        url,
        typeof answer === "string"
          ? () => new Response(answer, { headers: { "content-type": "text/calendar" } })
          : answer,
      );
    },
    resolveTo(host: string, addresses: string[]) {
      names.set(host, addresses);
    },
  };
}

/** A VCALENDAR of all-day events `[from, to)`, CRLF, as other sites export availability. */
export function icsOf(events: Array<{ uid: string; from: string; to: string; status?: string }>): string {
  const day = (date: string) => date.replaceAll("-", "");
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Other site//Hosting//EN",
    ...events.flatMap((e) => [
      "BEGIN:VEVENT",
      `UID:${e.uid}`,
      "DTSTAMP:20260601T000000Z",
      `DTSTART;VALUE=DATE:${day(e.from)}`,
      `DTEND;VALUE=DATE:${day(e.to)}`,
      "SUMMARY:Reserved",
      ...(e.status ? [`STATUS:${e.status}`] : []),
      "END:VEVENT",
    ]),
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}
