import type { z } from "@hono/zod-openapi";
import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { plainResponse } from "./headers.ts";
import type { AppEnv } from "./types.ts";

/**
 * Answers with JSON that is already text (serialised once, e.g. kept in a cache), without parsing
 * and serialising it again. Typed as the route's JSON answer, which the text must be: callers pass
 * `JSON.stringify` of a `T`. The answer's headers are `headers` (and the common ones), not those of
 * `c.header()`.
 */
export function jsonText<T, S extends ContentfulStatusCode>(
  c: Context<AppEnv>,
  text: string,
  status: S,
  headers: Record<string, string> = {},
): Response & TypedResponse<T, S, "json"> {
  const response = plainResponse(c, text, status, { "content-type": "application/json", ...headers });
  return response as Response & TypedResponse<T, S, "json">;
}

/** A required JSON request body for `createRoute`, with an example for the reference when given. */
export function jsonBody<S extends z.ZodType>(schema: S, example?: unknown) {
  return {
    required: true,
    content: { "application/json": example === undefined ? { schema } : { schema, example } },
  };
}
