import { type Outbound, OutboundRefusedError } from "../../ports.ts";
import { checkFeedUrl, checkResolvedTarget } from "./feed-target.ts";

/** What one fetch of a feed may take: bytes of body, time in all (redirects included), redirects. */
export interface FeedLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

export const FEED_LIMITS: FeedLimits = { maxBytes: 1_048_576, timeoutMs: 10_000, maxRedirects: 3 };

/** Why a feed could not be fetched, in words its host can act on (kept on the import). */
export class FeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FeedError";
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HEADERS = {
  accept: "text/calendar, text/plain;q=0.5, */*;q=0.1",
  "user-agent": "stayedge-calendar-sync/1.0",
};

/**
 * The text of the feed at `url`, fetched within `limits`: every hop is checked by the SSRF guard
 * (its URL, then what its name resolves to) before it is requested, redirects are followed by
 * hand, and the body is read as a stream and dropped once it is too large. The time limit holds
 * even if the port's fetch ignores its signal. Throws `FeedError`.
 */
export async function fetchFeed(outbound: Outbound, url: string, limits = FEED_LIMITS): Promise<string> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let target = url;
  for (let hop = 0; ; hop++) {
    const checked = checkFeedUrl(target);
    if (!checked.ok)
      throw new FeedError(hop === 0 ? checked.problem : `Redirected to a URL that ${lower(checked.problem)}`);
    const resolved = await withDeadline(
      checkResolvedTarget(checked.url, (host) => outbound.resolve(host)),
      signal,
      limits,
    );
    if (resolved) throw new FeedError(resolved.problem);
    let response: Response;
    try {
      response = await withDeadline(
        outbound.fetch(checked.url.href, { headers: HEADERS, signal }),
        signal,
        limits,
      );
    } catch (error) {
      if (error instanceof FeedError) throw error;
      if (signal.aborted) throw tooSlow(limits);
      if (error instanceof OutboundRefusedError) throw new FeedError(error.message);
      throw new FeedError(`${checked.url.hostname} could not be reached`);
    }
    if (REDIRECTS.has(response.status)) {
      await discard(response);
      const location = response.headers.get("location");
      if (!location) throw new FeedError(`The feed answered HTTP ${response.status} without a Location`);
      if (hop >= limits.maxRedirects)
        throw new FeedError(`The feed redirected more than ${limits.maxRedirects} times`);
      target = URL.canParse(location, checked.url) ? new URL(location, checked.url).href : location;
      continue;
    }
    if (!response.ok) {
      await discard(response);
      throw new FeedError(`The feed answered HTTP ${response.status}`);
    }
    return readLimited(response, signal, limits);
  }
}

const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const tooLarge = (limits: FeedLimits) =>
  new FeedError(`The feed is larger than ${Math.round(limits.maxBytes / 1024)} KiB`);
const tooSlow = (limits: FeedLimits) =>
  new FeedError(`The feed took longer than ${limits.timeoutMs / 1000} s to arrive`);

/** `work`, or a FeedError once `signal` (the fetch's time limit) aborts. */
function withDeadline<T>(work: Promise<T>, signal: AbortSignal, limits: FeedLimits): Promise<T> {
  if (signal.aborted) return Promise.reject(tooSlow(limits));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(tooSlow(limits));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** The body as UTF-8 text, read chunk by chunk and dropped past `limits.maxBytes`. */
async function readLimited(response: Response, signal: AbortSignal, limits: FeedLimits): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > limits.maxBytes) {
    await discard(response);
    throw tooLarge(limits);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await withDeadline(reader.read(), signal, limits);
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) throw tooLarge(limits);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (error instanceof FeedError) throw error;
    if (signal.aborted) throw tooSlow(limits);
    throw new FeedError("The feed's connection broke off");
  }
  const decoder = new TextDecoder("utf-8");
  return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join("") + decoder.decode();
}
