import type { z } from "@hono/zod-openapi";

/**
 * A JSON request body for `createRoute`, with its example for the reference. An optional body may
 * be left out altogether (a bodiless POST validates as `{}`).
 */
export function jsonBody<S extends z.ZodType>(schema: S, example: z.input<S>, { required = true } = {}) {
  return { required, content: { "application/json": { schema, example } } };
}

/** The content of a JSON answer, with its example for the reference (typed, and checked by a test). */
export function jsonContent<S extends z.ZodType>(schema: S, example: z.output<S>) {
  return { "application/json": { schema, example } };
}
