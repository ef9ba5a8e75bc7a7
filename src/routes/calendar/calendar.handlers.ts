import type { RouteHandler } from "@hono/zod-openapi";
import { getCalendar } from "../../domain/bookings/get-calendar.ts";
import { updateCalendar } from "../../domain/bookings/update-calendar.ts";
import { domainContext } from "../../http/context.ts";
import type { AppEnv } from "../../http/types.ts";
import type * as routes from "./calendar.routes.ts";

export const getHandler: RouteHandler<typeof routes.getCalendar, AppEnv> = async (c) =>
  c.json(
    await getCalendar({ ctx: domainContext(c), input: { ...c.req.valid("param"), ...c.req.valid("query") } }),
    200,
  );

export const updateHandler: RouteHandler<typeof routes.updateCalendar, AppEnv> = async (c) =>
  c.json(
    await updateCalendar({
      ctx: domainContext(c),
      input: { ...c.req.valid("param"), changes: c.req.valid("json") },
    }),
    200,
  );
