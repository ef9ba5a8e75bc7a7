import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./types.ts";

/**
 * The security headers that matter for a JSON API, on every answer. The HTML-era ones
 * (X-XSS-Protection, X-Download-Options, …) would only add bytes.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "cross-origin-resource-policy": "cross-origin",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
};

/** Gives an answer the common headers (security headers and X-Request-Id), unless it has them. */
export function addCommonHeaders(c: Context<AppEnv>): void {
  if (c.get("commonHeaders")) return;
  // On the response itself: after the handler, c.header() would rebuild the response round its body.
  for (const name in SECURITY_HEADERS) c.res.headers.set(name, SECURITY_HEADERS[name] as string);
  c.res.headers.set("x-request-id", c.get("requestId"));
}

/**
 * A JSON answer whose headers, the common ones included, are one plain object. The cached
 * listing read answers this way: c.json builds a Headers object for more than one header, and
 * filling it (then turning it back into a plain object for Node's socket) cost that read more than
 * a tenth of its rate (docs/performance.md).
 */
export function plainJson<T, S extends ContentfulStatusCode>(
  c: Context<AppEnv>,
  body: T,
  status: S,
  headers: Record<string, string>,
): Response & TypedResponse<T, S, "json"> {
  c.set("commonHeaders", true);
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      ...SECURITY_HEADERS,
      "x-request-id": c.get("requestId"),
      "content-type": "application/json",
      ...headers,
    },
  }) as Response & TypedResponse<T, S, "json">;
}
