import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, type ErrorCode } from "../domain/errors.ts";
import { postgresCode } from "../lib/postgres-errors.ts";
import { PaymentProviderError } from "../ports.ts";

// PostgreSQL SQLSTATEs that are the client's doing, not ours.
const postgresCodes: Record<string, { code: ErrorCode; detail: string }> = {
  "23505": { code: "CONFLICT", detail: "A resource with the same unique value already exists." },
  "23P01": { code: "BOOKING_CONFLICT", detail: "Those dates are no longer available." },
  "40P01": { code: "BOOKING_CONFLICT", detail: "Those dates are no longer available." },
  "40001": { code: "CONFLICT", detail: "The resource changed concurrently; retry the request." },
};

const CONNECTION_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN"]);

/** The database (or its network) is down, not the request wrong: SQLSTATE classes 08 and 57P, socket errors. */
function isUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = typeof e === "object" && "code" in e ? e.code : undefined;
    if (typeof code === "string" && (CONNECTION_ERRORS.has(code) || /^(08|57P0)/.test(code))) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

const httpStatusCodes: Record<number, ErrorCode> = {
  400: "MALFORMED_REQUEST",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  412: "PRECONDITION_FAILED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
};

/**
 * Maps anything thrown to the error the client sees, in order: our own errors, PostgreSQL codes,
 * Hono's HTTP exceptions, then an opaque 500 that says nothing about what happened.
 */
export function classify(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const sqlState = postgresCode(error);
  const mapped = sqlState ? postgresCodes[sqlState] : undefined;
  if (mapped) return new AppError(mapped.code, mapped.detail);
  if (error instanceof PaymentProviderError) {
    // Refusals the domain expects are its own errors; one that reaches here is Stripe's to retry.
    return new AppError("SERVICE_UNAVAILABLE", "The payment provider is not answering. Retry shortly.", {
      headers: { "Retry-After": "5" },
    });
  }
  if (isUnavailable(error)) {
    return new AppError("SERVICE_UNAVAILABLE", "A service we depend on is not answering. Retry shortly.", {
      headers: { "Retry-After": "5" },
    });
  }
  if (error instanceof HTTPException) {
    const code = httpStatusCodes[error.status];
    // Hono's own messages ("Malformed JSON in request body") are safe to show; they name no internals.
    if (code) return new AppError(code, error.message || "The request was refused.");
  }
  return new AppError("INTERNAL", "Something went wrong on our side. Quote the request id if you report it.");
}

const targets = [
  ["json", "body"],
  ["query", "query"],
  ["param", "path"],
  ["header", "header"],
] as const;

/**
 * Where a field the domain named was sent in this request: the validated part that holds it, else
 * the body (a rule about a field the client left out, as in a partial update), else the query.
 */
export function fieldLocator(c: Context): (field: string) => string {
  const request = c.req as unknown as { valid(target: string): unknown };
  return (field) => {
    const top = field.split(".")[0] ?? field;
    const sent = targets.map(([target, source]) => ({ source, data: request.valid(target) }));
    const holder =
      sent.find(({ data }) => typeof data === "object" && data !== null && top in data) ??
      sent.find(({ source, data }) => source === "body" && data !== undefined) ??
      sent.find(({ source, data }) => source === "query" && data !== undefined);
    return holder ? `${holder.source}.${field}` : field;
  };
}
