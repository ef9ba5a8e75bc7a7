import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import {
  hashPassword,
  PBKDF2_ITERATIONS,
  PBKDF2_MAX_ITERATIONS,
  verifyPassword,
} from "../../src/domain/identity/password.ts";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  signAccessToken,
  verifyAccessToken,
} from "../../src/domain/identity/tokens.ts";
import { toBase64Url } from "../../src/lib/base64url.ts";

const PASSWORD = "correct horse battery staple";

/** A stored hash built by hand with WebCrypto, outside the module under test. */
async function handMadeHash(
  password: string,
  {
    iterations,
    hash = "SHA-256",
    label = "pbkdf2-sha256",
  }: { iterations: number; hash?: string; label?: string },
): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password.normalize("NFKC")),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash, salt, iterations }, key, 256);
  return `${label}$${iterations}$${toBase64Url(salt)}$${toBase64Url(new Uint8Array(bits))}`;
}

describe("password hashing (WebCrypto PBKDF2, DESIGN §5)", () => {
  it("stays under the deployed Workers cap of 100,000 PBKDF2 iterations", () => {
    // Local workerd and Node accept any count; deployed Workers throw above 100,000.
    expect(PBKDF2_MAX_ITERATIONS).toBe(100_000);
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(PBKDF2_MAX_ITERATIONS);
  });

  it("stores algorithm and parameters with the hash: pbkdf2-sha256$100000$<salt>$<hash>", async () => {
    const stored = await hashPassword(PASSWORD);
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(PASSWORD);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword(PASSWORD);
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", stored)).toBe(false);
    expect(await verifyPassword(`${PASSWORD} `, stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salts: two hashes of the same password differ, and both verify", async () => {
    const [first, second] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    expect(first).not.toBe(second);
    expect(first.split("$")[2]).not.toBe(second.split("$")[2]);
    expect(await verifyPassword(PASSWORD, first)).toBe(true);
    expect(await verifyPassword(PASSWORD, second)).toBe(true);
  });

  it("reads the parameters from the stored hash (a hand-made one at 100,000 or fewer verifies)", async () => {
    // The positive control for the refusals below: the hand-made format is the real one.
    expect(await verifyPassword(PASSWORD, await handMadeHash(PASSWORD, { iterations: 100_000 }))).toBe(true);
    expect(await verifyPassword(PASSWORD, await handMadeHash(PASSWORD, { iterations: 1_000 }))).toBe(true);
  });

  it("refuses a stored hash above the cap, even with the right password", async () => {
    const stored = await handMadeHash(PASSWORD, { iterations: 100_001 });
    expect(await verifyPassword(PASSWORD, stored)).toBe(false);
  });

  it.each([
    { label: "pbkdf2-sha512", hash: "SHA-512" },
    { label: "pbkdf2-sha1", hash: "SHA-1" },
    { label: "argon2id", hash: "SHA-256" },
    { label: "PBKDF2-SHA256", hash: "SHA-256" },
  ])("refuses an unknown algorithm ($label), even with the right password", async ({ label, hash }) => {
    const stored = await handMadeHash(PASSWORD, { iterations: 1_000, hash, label });
    expect(await verifyPassword(PASSWORD, stored)).toBe(false);
  });

  it.each([
    "",
    "pbkdf2-sha256",
    "pbkdf2-sha256$$$",
    "pbkdf2-sha256$0$AAAA$AAAA",
    "pbkdf2-sha256$-5$AAAA$AAAA",
    "pbkdf2-sha256$1.5$AAAA$AAAA",
    "pbkdf2-sha256$1e9$AAAA$AAAA",
    "pbkdf2-sha256$abc$AAAA$AAAA",
  ])("refuses a malformed stored hash %j", async (stored) => {
    expect(await verifyPassword(PASSWORD, stored)).toBe(false);
  });

  it("refuses to hash above the cap", async () => {
    await expect(hashPassword(PASSWORD, 200_000)).rejects.toThrow(RangeError);
    await expect(hashPassword(PASSWORD, PBKDF2_MAX_ITERATIONS + 1)).rejects.toThrow(RangeError);
  });

  it("normalises unicode (NFKC) the same way when hashing and verifying", async () => {
    // U+FB01 LATIN SMALL LIGATURE FI is NFKC-equivalent to "fi".
    const ligature = await hashPassword("pass\uFB01rst words");
    expect(await verifyPassword("passfirst words", ligature)).toBe(true);
    expect(await verifyPassword("pass\uFB01rst words", ligature)).toBe(true);
    const plain = await hashPassword("passfirst words");
    expect(await verifyPassword("pass\uFB01rst words", plain)).toBe(true);
    // Composed é (U+00E9) and e + combining acute (U+0301).
    const composed = await hashPassword("caf\u00E9 au lait");
    expect(await verifyPassword("cafe\u0301 au lait", composed)).toBe(true);
    expect(await verifyPassword("cafe au lait", composed)).toBe(false);
  });
});

describe("access tokens (JWT, algorithm pinned)", () => {
  const secret = "unit-test-secret-of-at-least-32-characters";
  const now = new Date("2026-06-01T12:00:00Z");
  const iat = Math.floor(now.getTime() / 1000);
  const claims = {
    iss: "stayedge",
    sub: "019ad6f4-6a3c-7c41-9a55-0f7e5b1c2d3e",
    sid: "019ad6f4-6a3c-7c41-9a55-0f7e5b1c2d3f",
    iat,
    exp: iat + ACCESS_TOKEN_TTL_SECONDS,
  };
  const encode = (value: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(value)));

  it("accepts a fresh token and returns its claims", async () => {
    const token = await signAccessToken({ userId: claims.sub, sessionId: claims.sid, now }, secret);
    expect(await verifyAccessToken(token, secret, now)).toEqual({
      sub: claims.sub,
      sid: claims.sid,
      iat,
      exp: iat + ACCESS_TOKEN_TTL_SECONDS,
    });
    expect(JSON.parse(atob(token.split(".")[0] ?? ""))).toMatchObject({ alg: "HS256" });
  });

  it("is valid until just before exp and refused at exp and after", async () => {
    const token = await signAccessToken({ userId: claims.sub, sessionId: claims.sid, now }, secret);
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    expect(ACCESS_TOKEN_TTL_SECONDS).toBe(15 * 60);
    expect(await verifyAccessToken(token, secret, at(ACCESS_TOKEN_TTL_SECONDS - 1))).toBeDefined();
    expect(await verifyAccessToken(token, secret, at(ACCESS_TOKEN_TTL_SECONDS))).toBeUndefined();
    expect(await verifyAccessToken(token, secret, at(ACCESS_TOKEN_TTL_SECONDS + 3600))).toBeUndefined();
  });

  it("refuses a token signed with another secret", async () => {
    const token = await signAccessToken(
      { userId: claims.sub, sessionId: claims.sid, now },
      `${secret}-other`,
    );
    expect(await verifyAccessToken(token, secret, now)).toBeUndefined();
  });

  it.each(["HS384", "HS512"] as const)("refuses a token signed %s with the same secret", async (alg) => {
    const token = await sign(claims, secret, alg);
    expect(await verifyAccessToken(token, secret, now)).toBeUndefined();
  });

  it.each(["none", "None", "NONE"])("refuses an unsigned token (alg %j)", async (alg) => {
    const header = encode({ alg, typ: "JWT" });
    const payload = encode(claims);
    expect(await verifyAccessToken(`${header}.${payload}.`, secret, now)).toBeUndefined();
    expect(await verifyAccessToken(`${header}.${payload}`, secret, now)).toBeUndefined();
  });

  it("refuses an HS256 header over a payload it was not signed for (tampered claims)", async () => {
    const token = await signAccessToken({ userId: claims.sub, sessionId: claims.sid, now }, secret);
    const [header, , signature] = token.split(".");
    const forged = `${header}.${encode({ ...claims, sub: "someone-else" })}.${signature}`;
    expect(await verifyAccessToken(forged, secret, now)).toBeUndefined();
  });

  it("refuses a correctly signed token from another issuer or without a session", async () => {
    expect(
      await verifyAccessToken(await sign({ ...claims, iss: "evil" }, secret, "HS256"), secret, now),
    ).toBeUndefined();
    const { sid: _sid, ...sessionless } = claims;
    expect(await verifyAccessToken(await sign(sessionless, secret, "HS256"), secret, now)).toBeUndefined();
  });

  it.each(["", "garbage", "a.b.c", "...."])("refuses garbage %j", async (token) => {
    expect(await verifyAccessToken(token, secret, now)).toBeUndefined();
  });
});
