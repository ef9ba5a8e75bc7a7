import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { identityLimits } from "../../src/domain/identity/limits.ts";
import { UNREACHABLE_DATABASE_URL } from "./fixtures.ts";

const BASE = "https://stayedge.test";
const hasDatabase = env.DATABASE_URL !== UNREACHABLE_DATABASE_URL;
const NEEDS_DB = "(needs DATABASE_URL)";

/** A client address of its own per test (the Worker reads `cf-connecting-ip`), so limits do not collide. */
function clientIp(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(2));
  return `198.51.${bytes[0]}.${bytes[1]}`;
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

async function jsonOf<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

describe("identity through the real Worker (workerd, Neon driver)", () => {
  it.skipIf(!hasDatabase)(
    `register → login → refresh rotates; a reused refresh token revokes the family ${NEEDS_DB}`,
    async () => {
      const ip = { "cf-connecting-ip": clientIp() };
      const email = `worker-${crypto.randomUUID()}@example.com`;
      const password = "correct horse battery staple";

      const user = await jsonOf<{ id: string; email: string }>(
        await post("/v1/auth/register", { email, password, name: "Worker Test" }, ip),
        201,
      );
      expect(user.email).toBe(email);
      expect(JSON.stringify(user)).not.toMatch(/pbkdf2|password/i);

      const first = await jsonOf<TokenPair>(await post("/v1/auth/login", { email, password }, ip), 200);
      expect(first).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });

      const second = await jsonOf<TokenPair>(
        await post("/v1/auth/refresh", { refreshToken: first.refreshToken }, ip),
        200,
      );
      expect(second.refreshToken).not.toBe(first.refreshToken);
      // (The access token may equal the first one: same user, session and second of issue.)

      const me = await exports.default.fetch(`${BASE}/v1/users/me`, {
        headers: { authorization: `Bearer ${second.accessToken}` },
      });
      expect(await jsonOf(me, 200)).toMatchObject({ id: user.id, email });

      // The used-up refresh token is refused, and presenting it revokes the whole family (session):
      // the refresh token issued in its place and the session's access token stop working too.
      const reused = await post("/v1/auth/refresh", { refreshToken: first.refreshToken }, ip);
      expect(await jsonOf(reused, 401)).toMatchObject({ code: "UNAUTHENTICATED" });
      const successor = await post("/v1/auth/refresh", { refreshToken: second.refreshToken }, ip);
      expect(await jsonOf(successor, 401)).toMatchObject({ code: "UNAUTHENTICATED" });
      const after = await exports.default.fetch(`${BASE}/v1/users/me`, {
        headers: { authorization: `Bearer ${second.accessToken}` },
      });
      expect(await jsonOf(after, 401)).toMatchObject({ code: "UNAUTHENTICATED" });
      expect(after.headers.get("www-authenticate")).toMatch(/^Bearer\s/);

      // Signing in again opens a new, working session.
      const third = await jsonOf<TokenPair>(await post("/v1/auth/login", { email, password }, ip), 200);
      const again = await exports.default.fetch(`${BASE}/v1/users/me`, {
        headers: { authorization: `Bearer ${third.accessToken}` },
      });
      expect(await jsonOf(again, 200)).toMatchObject({ email });
    },
  );

  it("the [[ratelimits]] binding enforces the per-e-mail sign-in limit (429 with Retry-After)", async () => {
    // The limit is checked before the database is touched, so this runs without PostgreSQL too:
    // the allowed attempts answer 401 (wrong password) or, with no database, 500; never 429.
    const email = `limited-${crypto.randomUUID()}@example.com`;
    const { limit } = identityLimits.loginPerEmail;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < limit; attempt++) {
      const response = await post(
        "/v1/auth/login",
        { email, password: "wrong password" },
        { "cf-connecting-ip": clientIp() },
      );
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses).not.toContain(429);
    expect(new Set(statuses)).toEqual(new Set([hasDatabase ? 401 : 500]));

    const refused = await post(
      "/v1/auth/login",
      { email, password: "wrong password" },
      { "cf-connecting-ip": clientIp() },
    );
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a protected route without a token is 401 with a Bearer challenge, before any database work", async () => {
    const response = await exports.default.fetch(`${BASE}/v1/users/me`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer\s/);
    expect(await response.json()).toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
