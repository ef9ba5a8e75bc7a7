import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as adminRoutes from "../../src/routes/admin/admin.routes.ts";
import * as auth from "../../src/routes/auth/auth.routes.ts";
import * as users from "../../src/routes/users/users.routes.ts";
import { expectStatus } from "../support/api.ts";
import { randomIp, type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { insertUser } from "../support/factories.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { engine } from "../support/test-database.ts";

let t: TestApp;
let admin: SignedUpUser;

beforeAll(async () => {
  t = await createTestApp({ env: { ADMIN_EMAIL: "boss@example.com" } });
  admin = await signUp(t, { email: "boss@example.com" });
});
afterAll(() => t.close());

describe("GET /v1/users/me and PATCH /v1/users/me", () => {
  it("changes only the fields sent; null clears optional ones", async () => {
    const user = await signUp(t);
    const first = await t.call(users.updateMe, {
      token: user.accessToken,
      body: { bio: "Sea lover", phone: "+33612345678", avatarUrl: "https://img.example/a.png" },
    });
    expectStatus(first, 200);
    expect(first.body).toMatchObject({ name: user.name, bio: "Sea lover", phone: "+33612345678" });
    const second = await t.call(users.updateMe, {
      token: user.accessToken,
      body: { phone: null, name: "New Name" },
    });
    expect(second.body).toMatchObject({ name: "New Name", bio: "Sea lover", phone: null });
    expect((await t.call(users.me, { token: user.accessToken })).body).toMatchObject({ name: "New Name" });
  });

  it.each([
    ["an unknown field", { email: "other@example.com" }, "body.email"],
    ["a phone not in E.164", { phone: "06 12 34 56 78" }, "body.phone"],
    ["a javascript: avatar URL", { avatarUrl: "javascript:alert(1)" }, "body.avatarUrl"],
    ["a 1001-character bio", { bio: "x".repeat(1001) }, "body.bio"],
  ])("returns 400 for %s and changes nothing", async (_what, invalidBody, location) => {
    const user = await signUp(t);
    const refused = await t.call(users.updateMe, { token: user.accessToken, invalidBody });
    expectStatus(refused, 400);
    expect(refused.body.errors?.map((e) => e.location)).toContain(location);
    expect((await t.call(users.me, { token: user.accessToken })).body).toMatchObject({
      email: user.email,
      phone: null,
      bio: null,
      avatarUrl: null,
    });
  });

  it("stores text as given, never interpreting it", async () => {
    const user = await signUp(t);
    const bio = "<script>alert('x')</script> ' OR 1=1 -- 東京";
    expectStatus(await t.call(users.updateMe, { token: user.accessToken, body: { bio } }), 200);
    expect((await t.call(users.me, { token: user.accessToken })).body).toMatchObject({ bio });
  });
});

describe("POST /v1/users/me/password", () => {
  it("needs the current password, then signs out every other session", async () => {
    const user = await signUp(t);
    const other = await t.call(auth.login, {
      body: { email: user.email, password: user.password },
      ip: "192.0.2.200",
    });
    expectStatus(other, 200);
    const wrong = await t.call(users.changePassword, {
      token: user.accessToken,
      body: { currentPassword: "not it at all", newPassword: "a whole new one" },
    });
    expectStatus(wrong, 400);
    expectStatus(await t.call(users.me, { token: other.body.accessToken }), 200);

    const changed = await t.call(users.changePassword, {
      token: user.accessToken,
      body: { currentPassword: user.password, newPassword: "a whole new one" },
    });
    expectStatus(changed, 204);
    expectStatus(await t.call(users.me, { token: user.accessToken }), 200);
    expectStatus(await t.call(users.me, { token: other.body.accessToken }), 401);
  });
});

describe("GET /v1/users/{id}", () => {
  it("shows anyone the public profile only", async () => {
    const user = await signUp(t);
    const patched = await t.call(users.updateMe, {
      token: user.accessToken,
      body: { phone: "+33612345678", bio: "Hi" },
    });
    expectStatus(patched, 200);
    const profile = await t.call(users.getUser, { params: { id: user.id } });
    expectStatus(profile, 200);
    expect(profile.body).toEqual({
      id: user.id,
      name: user.name,
      bio: "Hi",
      avatarUrl: null,
      memberSince: expect.any(String),
      isHost: false,
      reviews: { asGuest: { count: 0, average: null }, asHost: { count: 0, average: null } },
    });
  });

  it("returns 404 for an unknown id and 400 for a malformed one", async () => {
    expectStatus(await t.call(users.getUser, { params: { id: crypto.randomUUID() } }), 404);
    expectStatus(await t.call(users.getUser, { params: { id: "not-a-uuid" } }), 400);
  });
});

describe("admin", () => {
  const listUsers = (query: Record<string, string | number | undefined>, token = admin.accessToken) =>
    t.call(adminRoutes.listUsers, { token, query });

  it("lists accounts newest first with a keyset cursor that neither skips nor repeats", async () => {
    for (let i = 0; i < 4; i++) await insertUser(t.db.database.connect().db);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listUsers({ limit: 2, cursor });
      expectStatus(page, 200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((u) => u.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    const all = await listUsers({ limit: 100 });
    expectStatus(all, 200);
    expect(seen).toEqual(all.body.items.map((u) => u.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("rejects a forged cursor with 400", async () => {
    const refused = await listUsers({ cursor: "bm90LWEtY3Vyc29y" });
    expectStatus(refused, 400);
    expect(refused.body).toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("suspension blocks sign-in and live tokens at once; reinstatement restores sign-in", async () => {
    const user = await signUp(t);
    const params = { id: user.id };
    const suspended = await t.call(adminRoutes.suspendUser, { token: admin.accessToken, params });
    expect(suspended.body).toMatchObject({ id: user.id, status: "suspended" });
    expectStatus(await t.call(users.me, { token: user.accessToken }), 401);
    const login = () =>
      t.call(auth.login, { body: { email: user.email, password: user.password }, ip: "192.0.2.201" });
    const refused = await login();
    expectStatus(refused, 403);
    expect(refused.body).toMatchObject({ code: "FORBIDDEN" });
    const listed = await listUsers({ status: "suspended" });
    expectStatus(listed, 200);
    expect(listed.body.items.map((u) => u.id)).toContain(user.id);

    expectStatus(await t.call(adminRoutes.reinstateUser, { token: admin.accessToken, params }), 200);
    expectStatus(await login(), 200);
    // Tokens from before the suspension stay dead: their session was revoked.
    expectStatus(await t.call(users.me, { token: user.accessToken }), 401);
  });

  it("lets an admin make another account an admin, which then may administer", async () => {
    const user = await signUp(t);
    expectStatus(await listUsers({}, user.accessToken), 403);
    const granted = await t.call(adminRoutes.grantAdmin, {
      token: admin.accessToken,
      params: { id: user.id },
    });
    expect(granted.body).toMatchObject({ id: user.id, role: "admin" });
    expectStatus(await listUsers({}, user.accessToken), 200);
  });

  it("refuses to let an admin suspend themselves, and answers 404 for unknown users", async () => {
    const suspend = (id: string) =>
      t.call(adminRoutes.suspendUser, { token: admin.accessToken, params: { id } });
    expectStatus(await suspend(admin.id), 409);
    expectStatus(await suspend(crypto.randomUUID()), 404);
  });
});

// Real concurrent sessions: PGlite runs one transaction at a time and would hide these races.
describe.skipIf(engine !== "postgres")("races (PostgreSQL)", () => {
  it("lets exactly one of many concurrent registrations of an e-mail through", async () => {
    const email = `race-${crypto.randomUUID()}@example.com`;
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.call(auth.register, {
          body: { email: i % 2 ? email.toUpperCase() : email, password: "12345678", name: "R" },
          ip: `192.0.2.${i + 10}`,
        }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
  });

  it("lets exactly one of many concurrent refreshes with the same token succeed, and treats the rest as reuse", async () => {
    const user = await signUp(t);
    const refresh = (refreshToken: string) =>
      t.call(auth.refresh, { body: { refreshToken }, ip: randomIp() });
    const answers = await Promise.all(Array.from({ length: 6 }, () => refresh(user.refreshToken)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
    const winner = answers.find((a) => a.status === 200);
    if (winner?.status !== 200) throw new Error("no refresh succeeded");
    // The losers presented a used-up token: the family is revoked, the winner's new token included.
    expectStatus(await refresh(winner.body.refreshToken), 401);
  });
});
