import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { postgresCode } from "../../db/errors.ts";
import { AppError } from "../../domain/errors.ts";
import type { Deps } from "../../ports.ts";
import { addCommonHeaders } from "../headers.ts";
import type { AppEnv } from "../types.ts";

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

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
    // Only the error's name and SQLSTATE: drizzle's messages embed query parameters (e-mails, hashes).
    const failure = c.error
      ? {
          error: c.error.name,
          sqlState: postgresCode(c.error),
          stack: status >= 500 ? c.error.stack?.split("\n").slice(1, 8).join("\n") : undefined,
        }
      : {};
    deps.logger.log(status >= 500 ? "error" : status >= 400 ? "warn" : "info", "request", {
      requestId,
      method: c.req.method,
      path: c.req.path,
      route: c.req.routePath,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      outcome: status >= 500 ? "error" : status >= 400 ? "rejected" : "ok",
      ...failure,
    });
  });
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Request bodies are JSON or nothing (else 415) and at most `maxBytes` (else 413). GET and HEAD
 * skip all of it: on Node, merely looking at a body builds a full Request object.
 */
export function jsonBodies(maxBytes: number) {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError("PAYLOAD_TOO_LARGE", `The request body exceeds ${maxBytes} bytes.`);
    },
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    // HTTP/2 bodies may come without Content-Length or Transfer-Encoding: look at the body itself.
    if (
      !BODY_METHODS.has(c.req.method) ||
      c.req.raw.body === null ||
      c.req.header("content-length") === "0"
    ) {
      return next();
    }
    if (!JSON_TYPE.test(c.req.header("content-type") ?? "")) {
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json.");
    }
    return limit(c, next);
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
