import { createRoute, z } from "@hono/zod-openapi";
import { jsonContent } from "../../http/json.ts";
import { errorResponses, problemResponseFor } from "../../http/problem.ts";
import { livenessExample, readinessExample } from "./health.examples.ts";

export const liveness = z
  .object({ status: z.literal("ok").openapi({ example: "ok" }) })
  .openapi("Liveness", { description: "The process answers." });

export const readiness = z
  .object({
    status: z.literal("ready").openapi({ example: "ready" }),
    checks: z.object({
      database: z.object({
        status: z.literal("ok"),
        kind: z.enum(["pglite", "postgres", "neon"]).openapi({
          description:
            "`pglite`: the embedded database; `postgres`: PostgreSQL over TCP; `neon`: Neon's serverless driver (on Workers)",
          example: "postgres",
        }),
        latencyMs: z.number().openapi({ example: 1.7 }),
      }),
    }),
  })
  .openapi("Readiness", { description: "The process answers and its database does, with how fast." });

export const health = createRoute({
  method: "get",
  path: "/health",
  operationId: "health.live",
  tags: ["Health"],
  summary: "Liveness: the process answers",
  description: "Touches no dependency; use it for load-balancer liveness probes.",
  security: [],
  responses: {
    200: { description: "Alive", content: jsonContent(liveness, livenessExample) },
    500: errorResponses[500],
  },
});

export const ready = createRoute({
  method: "get",
  path: "/ready",
  operationId: "health.ready",
  tags: ["Health"],
  summary: "Readiness: the database answers",
  description: "Runs `select 1` on the database; 503 when it does not answer.",
  security: [],
  responses: {
    200: { description: "Ready to serve", content: jsonContent(readiness, readinessExample) },
    500: errorResponses[500],
    503: problemResponseFor("A dependency is down", {
      SERVICE_UNAVAILABLE: "The database is not answering.",
    }),
  },
});
