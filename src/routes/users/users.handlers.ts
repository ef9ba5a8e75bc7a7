import type { RouteHandler } from "@hono/zod-openapi";
import { changePassword } from "../../domain/identity/change-password.ts";
import { getMe } from "../../domain/identity/get-me.ts";
import { getPublicProfile } from "../../domain/identity/get-public-profile.ts";
import { updateMe } from "../../domain/identity/update-me.ts";
import { domainContext } from "../../http/context.ts";
import type { AppEnv } from "../../http/types.ts";
import type * as routes from "./users.routes.ts";

export const meHandler: RouteHandler<typeof routes.me, AppEnv> = async (c) =>
  c.json(await getMe({ ctx: domainContext(c), input: {} }), 200);

export const updateMeHandler: RouteHandler<typeof routes.updateMe, AppEnv> = async (c) =>
  c.json(await updateMe({ ctx: domainContext(c), input: c.req.valid("json") }), 200);

export const changePasswordHandler: RouteHandler<typeof routes.changePassword, AppEnv> = async (c) => {
  await changePassword({ ctx: domainContext(c), input: c.req.valid("json") });
  return c.body(null, 204);
};

export const getUserHandler: RouteHandler<typeof routes.getUser, AppEnv> = async (c) =>
  c.json(await getPublicProfile({ ctx: domainContext(c), input: c.req.valid("param") }), 200);
