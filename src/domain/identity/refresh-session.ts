import { and, eq, isNull } from "drizzle-orm";
import { refreshTokens, sessions, users } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError } from "../errors.ts";
import { enforceRateLimit } from "../rate-limit.ts";
import { identityLimits } from "./limits.ts";
import { issueTokens, type TokenPair } from "./sessions.ts";
import { sha256Hex } from "./tokens.ts";

const INVALID = "The refresh token is invalid or expired. Sign in again.";

/**
 * Rotates a refresh token: the presented one is used up and a new pair is issued in the same
 * family. Presenting a used-up token means it was copied: the whole family (session) is revoked.
 */
export async function refreshSession({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { refreshToken: string };
}): Promise<TokenPair> {
  const tokenHash = await sha256Hex(input.refreshToken);
  const now = ctx.deps.clock.now();
  const [found] = await ctx.db
    .select({
      sessionId: refreshTokens.sessionId,
      expiresAt: refreshTokens.expiresAt,
      rotatedAt: refreshTokens.rotatedAt,
      revokedAt: sessions.revokedAt,
      userId: sessions.userId,
      status: users.status,
    })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .limit(1);
  if (!found || found.revokedAt || found.status !== "active" || found.expiresAt <= now) {
    throw new AppError("UNAUTHENTICATED", INVALID);
  }
  await enforceRateLimit(ctx.deps, `refresh:session:${found.sessionId}`, identityLimits.refreshPerSession);

  const reuse = async () => {
    await ctx.db
      .update(sessions)
      .set({ revokedAt: now, revokedReason: "refresh_token_reuse" })
      .where(and(eq(sessions.id, found.sessionId), isNull(sessions.revokedAt)));
    return new AppError("UNAUTHENTICATED", INVALID);
  };
  if (found.rotatedAt) throw await reuse();

  const pair = await withTransaction(ctx, async (ctx) => {
    // Only one of two racing refreshes with the same token can use it up.
    const used = await ctx.db
      .update(refreshTokens)
      .set({ rotatedAt: now })
      .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.rotatedAt)))
      .returning({ sessionId: refreshTokens.sessionId });
    if (used.length === 0) return undefined;
    await ctx.db.update(sessions).set({ lastUsedAt: now }).where(eq(sessions.id, found.sessionId));
    return issueTokens(ctx, { userId: found.userId, sessionId: found.sessionId });
  });
  if (!pair) throw await reuse();
  return pair;
}
