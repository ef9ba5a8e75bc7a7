import type { RouteHandler } from "@hono/zod-openapi";
import { checkDatabase } from "../../domain/health/check-database.ts";
import type { AppEnv } from "../../http/types.ts";
import type { health, ready } from "./health.routes.ts";

export const healthHandler: RouteHandler<typeof health, AppEnv> = (c) =>
  c.json({ status: "ok" as const }, 200);

export const readyHandler: RouteHandler<typeof ready, AppEnv> = async (c) => {
  const database = await checkDatabase({ ctx: { db: c.get("db"), deps: c.get("deps") } });
  return c.json({ status: "ready" as const, checks: { database } }, 200);
};
