import type { z } from "@hono/zod-openapi";

/** A required JSON request body for `createRoute`, with an example for the reference when given. */
export function jsonBody<S extends z.ZodType>(schema: S, example?: unknown) {
  return {
    required: true,
    content: { "application/json": example === undefined ? { schema } : { schema, example } },
  };
}
