import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshTokens, users } from "../../src/db/schema/index.ts";
import * as auth from "../../src/routes/auth/auth.routes.ts";
import { me } from "../../src/routes/users/users.routes.ts";
import { expectStatus } from "../support/api.ts";
import { randomIp, signUp } from "../support/auth-helpers.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

// Calls name a random client address (`ip: randomIp()`) so that per-IP limits only bite where meant.
const clock = manualClock();
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ deps: { clock }, env: { ADMIN_EMAIL: "root@example.com" } });
});
afterAll(() => t.close());

describe("POST /v1/auth/register", () => {
  it("creates the account and returns it without any secret", async () => {
    const created = await t.call(auth.register, {
      body: { email: "Alice@Example.com", password: "eight ch", name: "  Alice  " },
      ip: randomIp(),
    });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({
      email: "Alice@Example.com",
      name: "Alice",
      role: "guest",
      isHost: false,
    });
    expect(created.headers.get("location")).toBe(`/v1/users/${created.body.id}`);
    expect(created.text).not.toMatch(/password|hash|pbkdf2/i);
    const [row] = await t.deps.database
      .connect()
      .db.select()
      .from(users)
      .where(eq(users.id, created.body.id));
    expect(row?.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/);
  });

  it("returns 409 CONFLICT for an e-mail already taken, whatever its case", async () => {
    const taken = await t.call(auth.register, {
      body: { email: "ALICE@example.COM", password: "12345678", name: "A" },
      ip: randomIp(),
    });
    expectStatus(taken, 409);
    expect(taken.body).toMatchObject({ code: "CONFLICT" });
  });

  it.each([
    ["a 7-character password", { password: "1234567" }, "body.password"],
    ["a 129-character password", { password: "x".repeat(129) }, "body.password"],
    ["a malformed e-mail", { email: "not-an-email" }, "body.email"],
    ["an empty name", { name: "   " }, "body.name"],
    ["a missing name", { name: undefined }, "body.name"],
  ])("returns 400 for %s and creates nothing", async (_what, change, location) => {
    const email = `bad-${crypto.randomUUID()}@example.com`;
    const refused = await t.call(auth.register, {
      invalidBody: { email, password: "long enough", name: "Bob", ...change },
      ip: randomIp(),
    });
    expectStatus(refused, 400);
    expect(refused.body.errors?.map((e) => e.location)).toContain(location);
    const rows = await t.deps.database.connect().db.select().from(users).where(eq(users.email, email));
    expect(rows).toHaveLength(0);
  });

  it("accepts any characters: length is the only rule", async () => {
    const created = await t.call(auth.register, {
      body: {
        email: `weak-${crypto.randomUUID()}@example.com`,
        password: "aaaaaaaa",
        name: "Weak but long enough",
      },
      ip: randomIp(),
    });
    expectStatus(created, 201);
  });

  it("makes the configured ADMIN_EMAIL an admin, and nobody else", async () => {
    const created = await t.call(auth.register, {
      body: { email: "Root@example.com", password: "rootroot", name: "Root" },
      ip: randomIp(),
    });
    expect(created.body).toMatchObject({ role: "admin" });
  });

  it("limits registrations per IP with 429 RATE_LIMITED and Retry-After", async () => {
    const ip = "203.0.113.9";
    const attempt = (label: string) =>
      t.call(auth.register, {
        body: { email: `${label}-${crypto.randomUUID()}@example.com`, password: "12345678", name: "B" },
        ip,
      });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await attempt(`burst-${i}`));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 429]);
    const last = answers[5];
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last?.body).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    clock.advance(120_000);
    expectStatus(await attempt("later"), 201);
  });
});

describe("POST /v1/auth/login", () => {
  it("returns a Bearer token pair that opens /v1/users/me", async () => {
    const user = await signUp(t);
    const mine = await t.call(me, { token: user.accessToken });
    expectStatus(mine, 200);
    expect(mine.body).toMatchObject({ id: user.id, email: user.email });
  });

  it("gives the same 401 for an unknown e-mail and a wrong password, in about the same time", async () => {
    const user = await signUp(t);
    const time = async (body: { email: string; password: string }) => {
      const started = performance.now();
      const answer = await t.call(auth.login, { body, ip: randomIp() });
      return { ms: performance.now() - started, answer };
    };
    const wrong = await time({ email: user.email, password: "not the password" });
    const unknown = await time({ email: `nobody-${crypto.randomUUID()}@example.com`, password: "whatever1" });
    expectStatus(wrong.answer, 401);
    expectStatus(unknown.answer, 401);
    expect(unknown.answer.body.detail).toBe(wrong.answer.body.detail);
    expect(unknown.answer.body.code).toBe("UNAUTHENTICATED");
    // Both run one PBKDF2 verification (~10 ms); without the decoy the unknown e-mail answers in ~1 ms.
    expect(unknown.ms).toBeGreaterThan(wrong.ms / 3);
  });

  it("is case-insensitive on the e-mail", async () => {
    const user = await signUp(t);
    const signedIn = await t.call(auth.login, {
      body: { email: user.email.toUpperCase(), password: user.password },
      ip: randomIp(),
    });
    expectStatus(signedIn, 200);
  });

  it("limits attempts per e-mail across IPs, then per IP across e-mails", async () => {
    const user = await signUp(t);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const body = { email: user.email, password: "wrong-password" };
      statuses.push((await t.call(auth.login, { body, ip: randomIp() })).status);
    }
    // signUp's own sign-in was the first of the 5 allowed per minute.
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);

    const perIp: number[] = [];
    for (let i = 0; i < 21; i++) {
      const body = { email: `x${i}@example.com`, password: "wrong-password" };
      perIp.push((await t.call(auth.login, { body, ip: "203.0.113.77" })).status);
    }
    expect(perIp.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(perIp[20]).toBe(429);
    clock.advance(120_000);
  });
});

describe("POST /v1/auth/refresh", () => {
  const refresh = (refreshToken: string) => t.call(auth.refresh, { body: { refreshToken }, ip: randomIp() });

  it("rotates: the new pair works, the old refresh token is refused", async () => {
    const user = await signUp(t);
    const first = await refresh(user.refreshToken);
    expectStatus(first, 200);
    const pair = first.body;
    expect(pair).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
    expect(pair.refreshToken).not.toBe(user.refreshToken);
    expectStatus(await t.call(me, { token: pair.accessToken }), 200);
    // Only hashes are stored.
    const stored = await t.deps.database
      .connect()
      .db.select({ hash: refreshTokens.tokenHash })
      .from(refreshTokens);
    expect(stored.map((r) => r.hash)).not.toContain(pair.refreshToken);
  });

  it("revokes the whole family when a rotated token is presented again", async () => {
    const user = await signUp(t);
    const rotated = await refresh(user.refreshToken);
    expectStatus(rotated, 200);
    expectStatus(await refresh(user.refreshToken), 401);
    expectStatus(await refresh(rotated.body.refreshToken), 401);
    expectStatus(await t.call(me, { token: rotated.body.accessToken }), 401);
    // Another sign-in of the same account is a different family and keeps working.
    const again = await t.call(auth.login, {
      body: { email: user.email, password: user.password },
      ip: randomIp(),
    });
    expectStatus(again, 200);
    expectStatus(await refresh(again.body.refreshToken), 200);
  });

  it("refuses unknown and expired refresh tokens", async () => {
    expectStatus(await refresh("made-up"), 401);
    const user = await signUp(t);
    clock.advance(31 * 24 * 3600 * 1000);
    expectStatus(await refresh(user.refreshToken), 401);
  });

  it("expires access tokens after 15 minutes", async () => {
    const user = await signUp(t);
    clock.advance(14 * 60 * 1000);
    expectStatus(await t.call(me, { token: user.accessToken }), 200);
    clock.advance(61 * 1000);
    const expired = await t.call(me, { token: user.accessToken });
    expectStatus(expired, 401);
    expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });
});

describe("POST /v1/auth/logout", () => {
  it("ends the session: its access and refresh tokens stop working, other sessions do not", async () => {
    const user = await signUp(t);
    const other = await t.call(auth.login, {
      body: { email: user.email, password: user.password },
      ip: randomIp(),
    });
    expectStatus(other, 200);
    expectStatus(await t.call(auth.logout, { token: user.accessToken }), 204);
    expectStatus(await t.call(me, { token: user.accessToken }), 401);
    const refreshed = await t.call(auth.refresh, {
      body: { refreshToken: user.refreshToken },
      ip: randomIp(),
    });
    expectStatus(refreshed, 401);
    expectStatus(await t.call(me, { token: other.body.accessToken }), 200);
  });
});

describe("password reset", () => {
  const mailsTo = (email: string) =>
    t.logger.lines.filter((l) => l.message === "mail" && l.to === email).map((l) => String(l.text));
  const requestReset = (email: string) =>
    t.call(auth.requestPasswordReset, { body: { email }, ip: randomIp() });
  const confirm = (token: string, newPassword: string) =>
    t.call(auth.resetPassword, { body: { token, newPassword }, ip: randomIp() });
  const login = (email: string, password: string) =>
    t.call(auth.login, { body: { email, password }, ip: randomIp() });

  it("answers the same for known and unknown e-mails, and mails a link only to the known one", async () => {
    const user = await signUp(t);
    const known = await requestReset(user.email);
    const unknown = await requestReset(`ghost-${crypto.randomUUID()}@example.com`);
    expectStatus(known, 202);
    expectStatus(unknown, 202);
    expect(known.body).toEqual(unknown.body);
    await t.deps.drainJobs();
    expect(mailsTo(user.email)).toHaveLength(1);
  });

  it("resets once with the mailed token and signs the account out everywhere", async () => {
    const user = await signUp(t);
    await requestReset(user.email);
    await t.deps.drainJobs();
    const [mail] = mailsTo(user.email);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail ?? "")?.[1] ?? "");
    expect(token.length).toBeGreaterThan(20);

    expectStatus(await confirm(token, "brand new secret"), 204);
    expectStatus(await t.call(me, { token: user.accessToken }), 401);
    const refreshed = await t.call(auth.refresh, {
      body: { refreshToken: user.refreshToken },
      ip: randomIp(),
    });
    expectStatus(refreshed, 401);
    expectStatus(await login(user.email, user.password), 401);
    expectStatus(await login(user.email, "brand new secret"), 200);

    const again = await confirm(token, "another new secret");
    expectStatus(again, 400);
    expect(again.body).toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("refuses an expired reset token", async () => {
    const user = await signUp(t);
    await requestReset(user.email);
    await t.deps.drainJobs();
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mailsTo(user.email)[0] ?? "")?.[1] ?? "");
    clock.advance(61 * 60 * 1000);
    expectStatus(await confirm(token, "brand new secret"), 400);
  });
});
