import type { z } from "@hono/zod-openapi";
import type { liveness, readiness } from "./health.routes.ts";

/** The reference's health answers. */

export const livenessExample: z.output<typeof liveness> = { status: "ok" };

/** Ready, on PostgreSQL: the database answered its check. */
export const readinessExample: z.output<typeof readiness> = {
  status: "ready",
  checks: { database: { status: "ok", kind: "postgres", latencyMs: 1.7 } },
};
