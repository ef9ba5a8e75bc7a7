import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { AppError } from "../../domain/errors.ts";
import { isDatabaseError, postgresCode } from "../../lib/postgres-errors.ts";
import type { Deps } from "../../ports.ts";
import { addCommonHeaders } from "../headers.ts";
import type { AppEnv } from "../types.ts";

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * What a request's log line says of what went wrong: the error's name and SQLSTATE, and for a
 * 500 not caused by the database, where in the code (stack frames only: a message can hold
 * anything). A database error's message and stack are never logged: drizzle puts the query's
 * parameters there (e-mails, password hashes).
 */
function failureOf(error: Error, status: number) {
  const frames =
    status >= 500 && !isDatabaseError(error)
      ? (error.stack ?? "")
          .split("\n")
          .filter((line) => line.trimStart().startsWith("at "))
          .slice(0, 8)
          .join("\n")
      : undefined;
  return { error: error.name, sqlState: postgresCode(error), ...(frames ? { stack: frames } : {}) };
}

/**
 * First middleware: sets the request id (an incoming well-formed `X-Request-Id` is kept), exposes
 * the deps, gives every answer the common headers (security headers and `X-Request-Id`), and writes
 * exactly one JSON log line when the response is ready, errors included.
 */
export function requestContext(deps: Deps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : `req_${crypto.randomUUID()}`;
    c.set("requestId", requestId);
    c.set("deps", deps);
    c.set("clientIp", deps.clientIp(c.req.raw, c.env));
    await next();
    addCommonHeaders(c);
    const status = c.res.status;
    deps.logger.log(status >= 500 ? "error" : status >= 400 ? "warn" : "info", "request", {
      requestId,
      method: c.req.method,
      path: c.req.path,
      route: c.req.routePath,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      outcome: status >= 500 ? "error" : status >= 400 ? "rejected" : "ok",
      ...(c.error ? failureOf(c.error, status) : {}),
    });
  });
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Whether the request carries body bytes (HTTP/2 bodies may come without Content-Length). */
async function carriesBytes(request: Request): Promise<boolean> {
  if (request.body === null || request.headers.get("content-length") === "0") return false;
  const reader = request.clone().body?.getReader();
  if (!reader) return false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * A request body is JSON of at most `maxBytes` (else 415 or 413). A request without one (a bare
 * `fetch(url, { method: "DELETE" })`) is fine. GET and HEAD skip all of it: on Node, merely looking
 * at a body builds a full Request object.
 */
export function jsonBodies(maxBytes: number) {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError("PAYLOAD_TOO_LARGE", `The request body exceeds ${maxBytes} bytes.`);
    },
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return limit(c, async () => {
      if (!JSON_TYPE.test(c.req.header("content-type") ?? "") && (await carriesBytes(c.req.raw))) {
        throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json.");
      }
      await next();
    });
  });
}

/** Opens the request's database handle and releases it once the response is done. */
export const databaseHandle = createMiddleware<AppEnv>(async (c, next) => {
  const handle = c.get("deps").database.connect();
  c.set("db", handle.db);
  try {
    await next();
  } finally {
    // Only per-request connections (Neon on Workers) have something to release: after the answer.
    if (handle.release) c.executionCtx.waitUntil(handle.release());
  }
});

/**
 * Route middleware for a body verified over its exact bytes (a signed webhook): reads the text
 * before the validator parses it, so `c.req.text()` answers the bytes as sent, not JSON re-encoded.
 */
export const rawBody = createMiddleware<AppEnv>(async (c, next) => {
  await c.req.text();
  await next();
});
