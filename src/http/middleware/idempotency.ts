import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { DomainContext } from "../../domain/context.ts";
import { AppError } from "../../domain/errors.ts";
import { claimIdempotencyKey } from "../../domain/idempotency/claim-idempotency-key.ts";
import type { StoredAnswer } from "../../domain/idempotency/idempotency-keys.ts";
import { recordIdempotentAnswer } from "../../domain/idempotency/record-idempotent-answer.ts";
import { releaseIdempotencyKey } from "../../domain/idempotency/release-idempotency-key.ts";
import { postgresCode } from "../../lib/postgres-errors.ts";
import { domainContext } from "../context.ts";
import { refuseInvalidInput } from "../router.ts";
import type { AppEnv } from "../types.ts";

/**
 * `Idempotency-Key` on POSTs that create something (DESIGN §6). The first request with a key claims
 * it before the handler runs; its first successful (2xx) answer is kept for 24 hours and every
 * retry with the same key and the same request gets that answer again, marked
 * `Idempotent-Replayed: true`, without running the operation. The same key with another request
 * is 422 `IDEMPOTENCY_MISMATCH`; while the first is still running, 409 `CONFLICT`. An error answer
 * is not kept: the key is released, so the client can fix the request and retry with the same key.
 *
 * Where it can, the operation records its answer in its own transaction (`inTransaction`), so a
 * crash never leaves the change without its replay; otherwise this middleware records it after
 * the handler, and a claim left pending by a request that died is taken over after a minute.
 */

const REPLAYED = "Idempotent-Replayed";
/** The headers of an answer that a replay repeats. */
const KEPT_HEADERS = ["location"];

export const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(255)
  .openapi({
    description:
      "Any string unique to this request (a UUID), at most 255 characters. Retrying with the same " +
      "key and body returns the first successful answer instead of acting twice.",
    example: "b2c7e1f0-booking-1",
  });

/** `request.headers` of an idempotent route. */
export const idempotencyHeaders = z.object({ "idempotency-key": idempotencyKeyHeader.optional() });

/** Spread into the `headers` of an idempotent route's success response. */
export const replayedHeader = {
  [REPLAYED]: {
    schema: { type: "string" as const, enum: ["true"] },
    description: "Present when this is the kept answer to an earlier request with the same Idempotency-Key",
  },
};

/** The key the request sends, if any; checked here because route middleware runs before validators. */
function keyOf(c: Context<AppEnv>): string | undefined {
  const sent = { "idempotency-key": c.req.header("idempotency-key") };
  const result = idempotencyHeaders.safeParse(sent);
  refuseInvalidInput({ target: "header", data: sent, ...result });
  return sent["idempotency-key"];
}

/** Same value, same text: object keys sorted at every level. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, canonical(object[key])]),
  );
}

/**
 * What a request asks, as a SHA-256 (WebCrypto: Workers and Node) of its method, path and body:
 * canonical JSON, so the order of keys does not matter; the raw text when it is not JSON.
 */
export async function requestFingerprint(method: string, path: string, text: string): Promise<string> {
  let body = text;
  try {
    body = JSON.stringify(canonical(JSON.parse(text)));
  } catch {
    // Not JSON: the validator will refuse it; the raw text still tells requests apart.
  }
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`${method} ${path}\n${body}`),
  );
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A failed write of the key is not the client's problem: the claim is taken over after a minute. */
function logFailure(c: Context<AppEnv>, what: string, error: unknown) {
  c.get("deps").logger.log("warn", what, {
    requestId: c.get("requestId"),
    error: error instanceof Error ? error.name : typeof error,
    sqlState: postgresCode(error),
  });
}

/**
 * Route middleware, after `requireAuth` (the key is scoped to the signed-in user and `operation`):
 * `middleware: [...signedIn.middleware, idempotent("bookings.create")]`. The route answers JSON.
 */
export function idempotent(operation: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = keyOf(c);
    if (key === undefined) return next();
    const ctx = domainContext(c);
    // Hono keeps the text: the body validator reads it again.
    const fingerprint = await requestFingerprint(c.req.method, c.req.path, await c.req.text());
    const outcome = await claimIdempotencyKey({ ctx, input: { operation, key, fingerprint } });
    if ("replay" in outcome) {
      const { status, headers, body } = outcome.replay;
      return c.json(body, status as ContentfulStatusCode, { ...headers, [REPLAYED]: "true" });
    }
    const claim = { ...outcome.claimed, recorded: false };
    c.set("idempotency", claim);
    let succeeded = false;
    try {
      await next();
      succeeded = c.res.ok;
    } finally {
      try {
        if (!succeeded) await releaseIdempotencyKey({ ctx, input: { claim } });
        else if (!claim.recorded) {
          const headers: Record<string, string> = {};
          for (const name of KEPT_HEADERS) {
            const value = c.res.headers.get(name);
            if (value !== null) headers[name] = value;
          }
          const answer = { status: c.res.status, headers, body: await c.res.clone().json() };
          await recordIdempotentAnswer({ ctx, input: { claim, answer } });
        }
      } catch (error) {
        logFailure(c, succeeded ? "idempotency answer not recorded" : "idempotency key not released", error);
      }
    }
  });
}

/**
 * For an operation that can record its answer in its own transaction: a callback it runs there
 * with its result (`undefined` when the request sent no key). `answer` builds the HTTP answer the
 * handler sends for that result. If the claim is no longer this request's, it throws 409 and the
 * operation rolls back: the request that holds the claim is the one that acts.
 */
export function inTransaction<T>(
  c: Context<AppEnv>,
  answer: (result: T) => StoredAnswer,
): ((ctx: DomainContext, result: T) => Promise<void>) | undefined {
  const claim = c.get("idempotency");
  if (!claim) return undefined;
  return async (ctx, result) => {
    if (!(await recordIdempotentAnswer({ ctx, input: { claim, answer: answer(result) } }))) {
      throw new AppError(
        "CONFLICT",
        "Another request with this Idempotency-Key acted first. Send the request again to get its answer.",
      );
    }
    claim.recorded = true;
  };
}

/**
 * After an operation recorded its answer in its transaction (`inTransaction`), replaces it with
 * the fuller answer the handler sends, so replays show what the first answer showed. If this
 * fails, replays keep the recorded answer; the request still succeeds.
 */
export async function amendAnswer(c: Context<AppEnv>, answer: StoredAnswer): Promise<void> {
  const claim = c.get("idempotency");
  if (!claim?.recorded) return;
  try {
    await recordIdempotentAnswer({ ctx: domainContext(c), input: { claim, answer, replace: true } });
  } catch (error) {
    logFailure(c, "idempotency answer not amended", error);
  }
}
