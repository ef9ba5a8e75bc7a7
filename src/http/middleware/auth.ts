import { createMiddleware } from "hono/factory";
import { AppError } from "../../domain/errors.ts";
import { authenticate } from "../../domain/identity/authenticate.ts";
import type { AppEnv } from "../types.ts";

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i;

/** Protected routes: a valid access token of a live session, or 401 with a Bearer challenge. */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  if (!header)
    throw new AppError("UNAUTHENTICATED", "Send an access token: `Authorization: Bearer <token>`.");
  const token = BEARER.exec(header)?.[1];
  const invalid = { headers: { "WWW-Authenticate": 'Bearer realm="stayedge", error="invalid_token"' } };
  if (!token)
    throw new AppError("UNAUTHENTICATED", "The Authorization header is not a Bearer token.", invalid);
  try {
    c.set("actor", await authenticate({ ctx: { db: c.get("db"), deps: c.get("deps") }, input: { token } }));
  } catch (error) {
    if (error instanceof AppError && error.code === "UNAUTHENTICATED") {
      throw new AppError("UNAUTHENTICATED", error.message, invalid);
    }
    throw error;
  }
  await next();
});

/** Spread into a `createRoute` config: documents the bearer scheme and enforces it. */
export const signedIn = {
  security: [{ bearerAuth: [] as string[] }],
  middleware: [requireAuth],
};

/**
 * Admin routes: signed in as an admin, checked before the request is validated (a non-admin learns
 * nothing of what the route would accept). The verb checks it again.
 */
export const adminOnly = {
  security: signedIn.security,
  middleware: [
    requireAuth,
    createMiddleware<AppEnv>(async (c, next) => {
      if (!c.get("actor")?.isAdmin) throw new AppError("FORBIDDEN", "Only administrators may do this.");
      await next();
    }),
  ],
};

/** Routes open to everyone that show more to a signed-in caller: a token is checked only when sent. */
export const optionalAuth = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header("authorization") === undefined) await next();
  else await requireAuth(c, next);
});
