import { sign, verify } from "hono/jwt";

export type JwtClaims = Record<string, unknown>;

/** A JWT signed with HMAC-SHA256. */
export function signHs256(claims: JwtClaims, secret: string): Promise<string> {
  return sign(claims, secret, "HS256");
}

/**
 * The claims of an HS256 token with a valid signature and issuer, else undefined. The algorithm
 * is pinned (a token claiming `none` or RS256 is refused); time claims are left to the caller,
 * which checks them against its own clock.
 */
export async function verifyHs256(
  token: string,
  secret: string,
  issuer: string,
): Promise<JwtClaims | undefined> {
  try {
    return await verify(token, secret, { alg: "HS256", iss: issuer, exp: false, nbf: false, iat: false });
  } catch {
    return undefined;
  }
}
