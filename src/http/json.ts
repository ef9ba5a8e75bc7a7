import type { z } from "@hono/zod-openapi";
import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * Answers with JSON that is already text (serialised once, e.g. kept in a cache), without parsing
 * and serialising it again. Typed as the route's JSON answer, which the text must be: callers pass
 * `JSON.stringify` of a `T`.
 */
export function jsonText<T, S extends ContentfulStatusCode>(
  c: Context,
  text: string,
  status: S,
): Response & TypedResponse<T, S, "json"> {
  const response = c.body(text, status, { "content-type": "application/json" });
  return response as unknown as Response & TypedResponse<T, S, "json">;
}

/** A required JSON request body for `createRoute`, with an example for the reference when given. */
export function jsonBody<S extends z.ZodType>(schema: S, example?: unknown) {
  return {
    required: true,
    content: { "application/json": example === undefined ? { schema } : { schema, example } },
  };
}
