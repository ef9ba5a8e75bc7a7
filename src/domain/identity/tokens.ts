import { toBase64Url } from "../../lib/base64url.ts";
import { signHs256, verifyHs256 } from "../../lib/jwt.ts";

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
  return signHs256(payload, secret);
}

/** The claims of a valid access token (signature, issuer, shape and expiry at `now`), else undefined. */
export async function verifyAccessToken(
  token: string,
  secret: string,
  now: Date,
): Promise<AccessClaims | undefined> {
  const payload = await verifyHs256(token, secret, ISSUER);
  if (!payload) return undefined;
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
}
