import { sign, verify } from "hono/jwt";
import { toBase64Url } from "../../lib/base64url.ts";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
export const PASSWORD_RESET_TTL_SECONDS = 60 * 60;
const ISSUER = "stayedge";

/** An opaque, high-entropy token (256 bits); only its hash is stored. */
export function opaqueToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface AccessClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

export function signAccessToken(claims: { userId: string; sessionId: string; now: Date }, secret: string) {
  const iat = Math.floor(claims.now.getTime() / 1000);
  const payload = {
    iss: ISSUER,
    sub: claims.userId,
    sid: claims.sessionId,
    iat,
    exp: iat + ACCESS_TOKEN_TTL_SECONDS,
  };
  return sign(payload, secret, "HS256");
}

/**
 * Verifies signature and issuer with the algorithm pinned (a token claiming `none` or RS256 is
 * refused); expiry is checked against the injected clock so tests control time.
 */
export async function verifyAccessToken(
  token: string,
  secret: string,
  now: Date,
): Promise<AccessClaims | undefined> {
  try {
    const payload = await verify(token, secret, {
      alg: "HS256",
      iss: ISSUER,
      exp: false,
      nbf: false,
      iat: false,
    });
    const { sub, sid, iat, exp } = payload;
    if (
      typeof sub !== "string" ||
      typeof sid !== "string" ||
      typeof iat !== "number" ||
      typeof exp !== "number"
    ) {
      return undefined;
    }
    if (exp <= Math.floor(now.getTime() / 1000)) return undefined;
    return { sub, sid, iat, exp };
  } catch {
    return undefined;
  }
}
