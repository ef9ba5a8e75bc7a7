import type { RouteHandler } from "@hono/zod-openapi";
import { login } from "../../domain/identity/login.ts";
import { logout } from "../../domain/identity/logout.ts";
import { refreshSession } from "../../domain/identity/refresh-session.ts";
import { registerUser } from "../../domain/identity/register-user.ts";
import { requestPasswordReset } from "../../domain/identity/request-password-reset.ts";
import { resetPassword } from "../../domain/identity/reset-password.ts";
import { topics } from "../../domain/outbox/topics.ts";
import { domainContext } from "../../http/context.ts";
import type { AppEnv } from "../../http/types.ts";
import type * as routes from "./auth.routes.ts";

export const registerHandler: RouteHandler<typeof routes.register, AppEnv> = async (c) => {
  const user = await registerUser({
    ctx: domainContext(c),
    input: { ...c.req.valid("json"), clientIp: c.get("clientIp") },
  });
  c.header("Location", `/v1/users/${user.id}`);
  return c.json(user, 201);
};

export const loginHandler: RouteHandler<typeof routes.login, AppEnv> = async (c) =>
  c.json(
    await login({ ctx: domainContext(c), input: { ...c.req.valid("json"), clientIp: c.get("clientIp") } }),
    200,
  );

export const refreshHandler: RouteHandler<typeof routes.refresh, AppEnv> = async (c) =>
  c.json(await refreshSession({ ctx: domainContext(c), input: c.req.valid("json") }), 200);

export const logoutHandler: RouteHandler<typeof routes.logout, AppEnv> = async (c) => {
  await logout({ ctx: domainContext(c), input: {} });
  return c.body(null, 204);
};

export const requestPasswordResetHandler: RouteHandler<typeof routes.requestPasswordReset, AppEnv> = async (
  c,
) => {
  const { queued } = await requestPasswordReset({
    ctx: domainContext(c),
    input: { ...c.req.valid("json"), clientIp: c.get("clientIp") },
  });
  // Deliver now rather than at the next scheduled drain.
  if (queued) await c.get("deps").jobs.enqueue({ topic: topics.drainOutbox, payload: {} });
  return c.json({ message: "If an account uses this e-mail, a reset link is on its way." }, 202);
};

export const resetPasswordHandler: RouteHandler<typeof routes.resetPassword, AppEnv> = async (c) => {
  await resetPassword({ ctx: domainContext(c), input: c.req.valid("json") });
  return c.body(null, 204);
};
