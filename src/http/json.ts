import type { z } from "@hono/zod-openapi";

/**
 * A JSON request body for `createRoute`, with an example for the reference when given. An optional
 * body may be left out altogether (a bodiless POST validates as `{}`).
 */
export function jsonBody<S extends z.ZodType>(schema: S, example?: unknown, { required = true } = {}) {
  return {
    required,
    content: { "application/json": example === undefined ? { schema } : { schema, example } },
  };
}
