import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshTokens, users } from "../../src/db/schema/index.ts";
import { authHeader, signUp } from "../support/auth-helpers.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

const clock = manualClock();
let t: TestApp;
let ipCounter = 0;

/** Each call comes from a new address unless one is given, so per-IP limits only bite where meant. */
function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return t.request(path, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-forwarded-for": `198.51.100.${++ipCounter % 250}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

beforeAll(async () => {
  t = await createTestApp({ deps: { clock }, env: { ADMIN_EMAIL: "root@example.com" } });
});
afterAll(() => t.close());

describe("POST /v1/auth/register", () => {
  it("creates the account and returns it without any secret", async () => {
    const response = await post("/v1/auth/register", {
      email: "Alice@Example.com",
      password: "eight ch",
      name: "  Alice  ",
    });
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ email: "Alice@Example.com", name: "Alice", role: "guest", isHost: false });
    expect(response.headers.get("location")).toBe(`/v1/users/${body.id}`);
    expect(JSON.stringify(body)).not.toMatch(/password|hash|pbkdf2/i);
    const [row] = await t.deps.database
      .connect()
      .db.select()
      .from(users)
      .where(eq(users.id, String(body.id)));
    expect(row?.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/);
  });

  it("returns 409 CONFLICT for an e-mail already taken, whatever its case", async () => {
    const response = await post("/v1/auth/register", {
      email: "ALICE@example.COM",
      password: "12345678",
      name: "A",
    });
    expect(response.status).toBe(409);
    expect(await json(response)).toMatchObject({ code: "CONFLICT" });
  });

  it.each([
    ["a 7-character password", { password: "1234567" }, "body.password"],
    ["a 129-character password", { password: "x".repeat(129) }, "body.password"],
    ["a malformed e-mail", { email: "not-an-email" }, "body.email"],
    ["an empty name", { name: "   " }, "body.name"],
    ["a missing name", { name: undefined }, "body.name"],
  ])("returns 400 for %s and creates nothing", async (_what, change, location) => {
    const email = `bad-${crypto.randomUUID()}@example.com`;
    const response = await post("/v1/auth/register", {
      email,
      password: "long enough",
      name: "Bob",
      ...change,
    });
    const body = await json<{ code: string; errors: Array<{ location: string }> }>(response);
    expect(response.status).toBe(400);
    expect(body.errors.map((e) => e.location)).toContain(location);
    const rows = await t.deps.database.connect().db.select().from(users).where(eq(users.email, email));
    expect(rows).toHaveLength(0);
  });

  it("accepts any characters: length is the only rule", async () => {
    const response = await post("/v1/auth/register", {
      email: `weak-${crypto.randomUUID()}@example.com`,
      password: "aaaaaaaa",
      name: "Weak but long enough",
    });
    expect(response.status).toBe(201);
  });

  it("makes the configured ADMIN_EMAIL an admin, and nobody else", async () => {
    const response = await post("/v1/auth/register", {
      email: "Root@example.com",
      password: "rootroot",
      name: "Root",
    });
    expect(await json(response)).toMatchObject({ role: "admin" });
  });

  it("limits registrations per IP with 429 RATE_LIMITED and Retry-After", async () => {
    const from = { "x-forwarded-for": "203.0.113.9" };
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await post(
        "/v1/auth/register",
        { email: `burst-${i}-${crypto.randomUUID()}@example.com`, password: "12345678", name: "B" },
        from,
      );
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await json(last as Response)).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    clock.advance(120_000);
    const later = await post(
      "/v1/auth/register",
      { email: `later-${crypto.randomUUID()}@example.com`, password: "12345678", name: "B" },
      from,
    );
    expect(later.status).toBe(201);
  });
});

describe("POST /v1/auth/login", () => {
  it("returns a Bearer token pair that opens /v1/users/me", async () => {
    const user = await signUp(t);
    const me = await t.request("/v1/users/me", { headers: authHeader(user.accessToken) });
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({ id: user.id, email: user.email });
  });

  it("gives the same 401 for an unknown e-mail and a wrong password, in about the same time", async () => {
    const user = await signUp(t);
    const time = async (body: unknown) => {
      const started = performance.now();
      const response = await post("/v1/auth/login", body);
      return { ms: performance.now() - started, status: response.status, body: await json(response) };
    };
    const wrong = await time({ email: user.email, password: "not the password" });
    const unknown = await time({ email: `nobody-${crypto.randomUUID()}@example.com`, password: "whatever1" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
    expect(unknown.body.code).toBe("UNAUTHENTICATED");
    // Both run one PBKDF2 verification (~10 ms); without the decoy the unknown e-mail answers in ~1 ms.
    expect(unknown.ms).toBeGreaterThan(wrong.ms / 3);
  });

  it("is case-insensitive on the e-mail", async () => {
    const user = await signUp(t);
    const response = await post("/v1/auth/login", {
      email: user.email.toUpperCase(),
      password: user.password,
    });
    expect(response.status).toBe(200);
  });

  it("limits attempts per e-mail across IPs, then per IP across e-mails", async () => {
    const user = await signUp(t);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await post("/v1/auth/login", { email: user.email, password: "wrong-password" })).status);
    // signUp's own sign-in was the first of the 5 allowed per minute.
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);

    const from = { "x-forwarded-for": "203.0.113.77" };
    const perIp: number[] = [];
    for (let i = 0; i < 21; i++) {
      perIp.push(
        (await post("/v1/auth/login", { email: `x${i}@example.com`, password: "wrong-password" }, from))
          .status,
      );
    }
    expect(perIp.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(perIp[20]).toBe(429);
    clock.advance(120_000);
  });
});

describe("POST /v1/auth/refresh", () => {
  it("rotates: the new pair works, the old refresh token is refused", async () => {
    const user = await signUp(t);
    const first = await post("/v1/auth/refresh", { refreshToken: user.refreshToken });
    const pair = await json<{
      accessToken: string;
      refreshToken: string;
      tokenType: string;
      expiresIn: number;
    }>(first);
    expect(first.status).toBe(200);
    expect(pair).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
    expect(pair.refreshToken).not.toBe(user.refreshToken);
    expect((await t.request("/v1/users/me", { headers: authHeader(pair.accessToken) })).status).toBe(200);
    // Only hashes are stored.
    const stored = await t.deps.database
      .connect()
      .db.select({ hash: refreshTokens.tokenHash })
      .from(refreshTokens);
    expect(stored.map((r) => r.hash)).not.toContain(pair.refreshToken);
  });

  it("revokes the whole family when a rotated token is presented again", async () => {
    const user = await signUp(t);
    const rotated = await json<{ accessToken: string; refreshToken: string }>(
      await post("/v1/auth/refresh", { refreshToken: user.refreshToken }),
    );
    const replay = await post("/v1/auth/refresh", { refreshToken: user.refreshToken });
    expect(replay.status).toBe(401);
    expect((await post("/v1/auth/refresh", { refreshToken: rotated.refreshToken })).status).toBe(401);
    expect((await t.request("/v1/users/me", { headers: authHeader(rotated.accessToken) })).status).toBe(401);
    // Another sign-in of the same account is a different family and keeps working.
    const again = await json<{ refreshToken: string }>(
      await post("/v1/auth/login", { email: user.email, password: user.password }),
    );
    expect((await post("/v1/auth/refresh", { refreshToken: again.refreshToken })).status).toBe(200);
  });

  it("refuses unknown and expired refresh tokens", async () => {
    expect((await post("/v1/auth/refresh", { refreshToken: "made-up" })).status).toBe(401);
    const user = await signUp(t);
    clock.advance(31 * 24 * 3600 * 1000);
    expect((await post("/v1/auth/refresh", { refreshToken: user.refreshToken })).status).toBe(401);
  });

  it("expires access tokens after 15 minutes", async () => {
    const user = await signUp(t);
    clock.advance(14 * 60 * 1000);
    expect((await t.request("/v1/users/me", { headers: authHeader(user.accessToken) })).status).toBe(200);
    clock.advance(61 * 1000);
    const expired = await t.request("/v1/users/me", { headers: authHeader(user.accessToken) });
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });
});

describe("POST /v1/auth/logout", () => {
  it("ends the session: its access and refresh tokens stop working, other sessions do not", async () => {
    const user = await signUp(t);
    const other = await json<{ accessToken: string }>(
      await post("/v1/auth/login", { email: user.email, password: user.password }),
    );
    const out = await t.request("/v1/auth/logout", { method: "POST", headers: authHeader(user.accessToken) });
    expect(out.status).toBe(204);
    expect((await t.request("/v1/users/me", { headers: authHeader(user.accessToken) })).status).toBe(401);
    expect((await post("/v1/auth/refresh", { refreshToken: user.refreshToken })).status).toBe(401);
    expect((await t.request("/v1/users/me", { headers: authHeader(other.accessToken) })).status).toBe(200);
  });
});

describe("password reset", () => {
  const mailsTo = (email: string) =>
    t.logger.lines.filter((l) => l.message === "mail" && l.to === email).map((l) => String(l.text));

  it("answers the same for known and unknown e-mails, and mails a link only to the known one", async () => {
    const user = await signUp(t);
    const known = await post("/v1/auth/password-reset", { email: user.email });
    const unknown = await post("/v1/auth/password-reset", {
      email: `ghost-${crypto.randomUUID()}@example.com`,
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(await json(known)).toEqual(await json(unknown));
    await t.deps.drainJobs();
    expect(mailsTo(user.email)).toHaveLength(1);
  });

  it("resets once with the mailed token and signs the account out everywhere", async () => {
    const user = await signUp(t);
    await post("/v1/auth/password-reset", { email: user.email });
    await t.deps.drainJobs();
    const [mail] = mailsTo(user.email);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail ?? "")?.[1] ?? "");
    expect(token.length).toBeGreaterThan(20);

    const reset = await post("/v1/auth/password-reset/confirm", { token, newPassword: "brand new secret" });
    expect(reset.status).toBe(204);
    expect((await t.request("/v1/users/me", { headers: authHeader(user.accessToken) })).status).toBe(401);
    expect((await post("/v1/auth/refresh", { refreshToken: user.refreshToken })).status).toBe(401);
    expect((await post("/v1/auth/login", { email: user.email, password: user.password })).status).toBe(401);
    expect((await post("/v1/auth/login", { email: user.email, password: "brand new secret" })).status).toBe(
      200,
    );

    const again = await post("/v1/auth/password-reset/confirm", { token, newPassword: "another new secret" });
    expect(again.status).toBe(400);
    expect(await json(again)).toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("refuses an expired reset token", async () => {
    const user = await signUp(t);
    await post("/v1/auth/password-reset", { email: user.email });
    await t.deps.drainJobs();
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mailsTo(user.email)[0] ?? "")?.[1] ?? "");
    clock.advance(61 * 60 * 1000);
    expect(
      (await post("/v1/auth/password-reset/confirm", { token, newPassword: "brand new secret" })).status,
    ).toBe(400);
  });
});
