import { and, eq, isNull } from "drizzle-orm";
import { sessions, users } from "../../db/schema/index.ts";
import type { Actor, DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { verifyAccessToken } from "./tokens.ts";

/**
 * Turns a bearer token into the acting user. Besides the signature and expiry, the session must
 * be live and the account active, so sign-out, password resets and suspensions take effect at once.
 */
export async function authenticate({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { token: string };
}): Promise<Actor> {
  const claims = await verifyAccessToken(input.token, ctx.deps.config.JWT_SECRET, ctx.deps.clock.now());
  if (!claims) throw new AppError("UNAUTHENTICATED", "The access token is invalid or expired.");
  const [row] = await ctx.db
    .select({ isAdmin: users.isAdmin })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, claims.sid),
        eq(sessions.userId, claims.sub),
        isNull(sessions.revokedAt),
        eq(users.status, "active"),
      ),
    )
    .limit(1);
  if (!row) throw new AppError("UNAUTHENTICATED", "The session has ended. Sign in again.");
  return { userId: claims.sub, sessionId: claims.sid, isAdmin: row.isAdmin };
}

export function requireActor(ctx: DomainContext): Actor {
  if (!ctx.actor) throw new AppError("UNAUTHENTICATED", "Sign in to do this.");
  return ctx.actor;
}

export function requireAdmin(ctx: DomainContext): Actor {
  const actor = requireActor(ctx);
  if (!actor.isAdmin) throw new AppError("FORBIDDEN", "Only administrators may do this.");
  return actor;
}
