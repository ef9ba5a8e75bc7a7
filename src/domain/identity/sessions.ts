import { and, eq, isNull, ne } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
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

/** Issues a refresh token in `sessionId`'s family (inside the caller's transaction) and an access token. */
export async function issueTokens(
  tx: Database,
  ctx: DomainContext,
  userId: string,
  sessionId: string,
): Promise<TokenPair> {
  const now = ctx.deps.clock.now();
  const refreshToken = opaqueToken();
  await tx.insert(refreshTokens).values({
    tokenHash: await sha256Hex(refreshToken),
    sessionId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000),
  });
  const accessToken = await signAccessToken({ userId, sessionId, now }, ctx.deps.config.JWT_SECRET);
  return { accessToken, refreshToken, tokenType: "Bearer", expiresIn: ACCESS_TOKEN_TTL_SECONDS };
}

/** Ends sessions of `userId` (all, or all but `keep`); their access and refresh tokens stop working. */
export async function revokeSessions(
  tx: Database,
  ctx: DomainContext,
  userId: string,
  reason: string,
  keep?: string,
): Promise<void> {
  await tx
    .update(sessions)
    .set({ revokedAt: ctx.deps.clock.now(), revokedReason: reason })
    .where(
      and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keep ? ne(sessions.id, keep) : undefined),
    );
}
