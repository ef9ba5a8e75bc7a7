import type { RouteHandler } from "@hono/zod-openapi";
import { grantAdmin } from "../../domain/identity/grant-admin.ts";
import { listUsers } from "../../domain/identity/list-users.ts";
import { setUserStatus } from "../../domain/identity/set-user-status.ts";
import { domainContext } from "../../http/context.ts";
import { decodeNewestFirst, encodeNewestFirst } from "../../http/cursor.ts";
import type { AppEnv } from "../../http/types.ts";
import type * as routes from "./admin.routes.ts";

export const listUsersHandler: RouteHandler<typeof routes.listUsers, AppEnv> = async (c) => {
  const { limit, cursor, status } = c.req.valid("query");
  const page = await listUsers({
    ctx: domainContext(c),
    input: { limit, status, after: decodeNewestFirst(cursor) },
  });
  return c.json({ items: page.items, nextCursor: encodeNewestFirst(page.next) }, 200);
};

export const suspendUserHandler: RouteHandler<typeof routes.suspendUser, AppEnv> = async (c) =>
  c.json(
    await setUserStatus({ ctx: domainContext(c), input: { ...c.req.valid("param"), status: "suspended" } }),
    200,
  );

export const reinstateUserHandler: RouteHandler<typeof routes.reinstateUser, AppEnv> = async (c) =>
  c.json(
    await setUserStatus({ ctx: domainContext(c), input: { ...c.req.valid("param"), status: "active" } }),
    200,
  );

export const grantAdminHandler: RouteHandler<typeof routes.grantAdmin, AppEnv> = async (c) =>
  c.json(await grantAdmin({ ctx: domainContext(c), input: c.req.valid("param") }), 200);
