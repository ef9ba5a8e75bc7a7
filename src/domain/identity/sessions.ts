import { and, eq, isNull, ne } from "drizzle-orm";
import { refreshTokens, sessions } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  opaqueToken,
  REFRESH_TOKEN_TTL_SECONDS,
  sha256Hex,
  signAccessToken,
} from "./tokens.ts";

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  expiresIn: number;
}

/** Issues a refresh token in the session's family and an access token (call it in the session's transaction). */
export async function issueTokens(
  ctx: DomainContext,
  session: { userId: string; sessionId: string },
): Promise<TokenPair> {
  const now = ctx.deps.clock.now();
  const refreshToken = opaqueToken();
  await ctx.db.insert(refreshTokens).values({
    tokenHash: await sha256Hex(refreshToken),
    sessionId: session.sessionId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000),
  });
  const accessToken = await signAccessToken({ ...session, now }, ctx.deps.config.JWT_SECRET);
  return { accessToken, refreshToken, tokenType: "Bearer", expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/** Ends the sessions of a user (all, or all but `keep`); their access and refresh tokens stop working. */
export async function revokeSessions(
  ctx: DomainContext,
  which: { userId: string; reason: string; keep?: string },
): Promise<void> {
  await ctx.db
    .update(sessions)
    .set({ revokedAt: ctx.deps.clock.now(), revokedReason: which.reason })
    .where(
      and(
        eq(sessions.userId, which.userId),
        isNull(sessions.revokedAt),
        which.keep ? ne(sessions.id, which.keep) : undefined,
      ),
    );
}
