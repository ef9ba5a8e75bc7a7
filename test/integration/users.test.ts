import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeader, type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { engine } from "../support/test-database.ts";

let t: TestApp;
let admin: SignedUpUser;

const send = (method: string, path: string, token: string, body?: unknown) =>
  t.request(path, {
    method,
    headers: { ...authHeader(token), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

beforeAll(async () => {
  t = await createTestApp({ env: { ADMIN_EMAIL: "boss@example.com" } });
  admin = await signUp(t, { email: "boss@example.com" });
});
afterAll(() => t.close());

describe("GET /v1/users/me and PATCH /v1/users/me", () => {
  it("changes only the fields sent; null clears optional ones", async () => {
    const user = await signUp(t);
    const first = await send("PATCH", "/v1/users/me", user.accessToken, {
      bio: "Sea lover",
      phone: "+33612345678",
      avatarUrl: "https://img.example/a.png",
    });
    expect(first.status, await first.clone().text()).toBe(200);
    expect(await json(first)).toMatchObject({ name: user.name, bio: "Sea lover", phone: "+33612345678" });
    const second = await send("PATCH", "/v1/users/me", user.accessToken, { phone: null, name: "New Name" });
    expect(await json(second)).toMatchObject({ name: "New Name", bio: "Sea lover", phone: null });
    expect(await json(await send("GET", "/v1/users/me", user.accessToken))).toMatchObject({
      name: "New Name",
    });
  });

  it.each([
    ["an unknown field", { email: "other@example.com" }, "body"],
    ["a phone not in E.164", { phone: "06 12 34 56 78" }, "body.phone"],
    ["a javascript: avatar URL", { avatarUrl: "javascript:alert(1)" }, "body.avatarUrl"],
    ["a 1001-character bio", { bio: "x".repeat(1001) }, "body.bio"],
  ])("returns 400 for %s and changes nothing", async (_what, body, location) => {
    const user = await signUp(t);
    const response = await send("PATCH", "/v1/users/me", user.accessToken, body);
    expect(response.status).toBe(400);
    const problem = await json<{ errors: Array<{ location: string }> }>(response);
    expect(problem.errors.map((e) => e.location)).toContain(location);
    expect(await json(await send("GET", "/v1/users/me", user.accessToken))).toMatchObject({
      email: user.email,
      phone: null,
      bio: null,
      avatarUrl: null,
    });
  });

  it("stores text as given, never interpreting it", async () => {
    const user = await signUp(t);
    const bio = "<script>alert('x')</script> ' OR 1=1 -- 東京";
    await send("PATCH", "/v1/users/me", user.accessToken, { bio });
    expect(await json(await send("GET", "/v1/users/me", user.accessToken))).toMatchObject({ bio });
  });
});

describe("POST /v1/users/me/password", () => {
  it("needs the current password, then signs out every other session", async () => {
    const user = await signUp(t);
    const other = await json<{ accessToken: string }>(
      await t.request("/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.200" },
        body: JSON.stringify({ email: user.email, password: user.password }),
      }),
    );
    const wrong = await send("POST", "/v1/users/me/password", user.accessToken, {
      currentPassword: "not it at all",
      newPassword: "a whole new one",
    });
    expect(wrong.status).toBe(400);
    expect((await send("GET", "/v1/users/me", other.accessToken)).status).toBe(200);

    const changed = await send("POST", "/v1/users/me/password", user.accessToken, {
      currentPassword: user.password,
      newPassword: "a whole new one",
    });
    expect(changed.status).toBe(204);
    expect((await send("GET", "/v1/users/me", user.accessToken)).status).toBe(200);
    expect((await send("GET", "/v1/users/me", other.accessToken)).status).toBe(401);
  });
});

describe("GET /v1/users/{id}", () => {
  it("shows anyone the public profile only", async () => {
    const user = await signUp(t);
    await send("PATCH", "/v1/users/me", user.accessToken, { phone: "+33612345678", bio: "Hi" });
    const response = await t.request(`/v1/users/${user.id}`);
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(body).toEqual({
      id: user.id,
      name: user.name,
      bio: "Hi",
      avatarUrl: null,
      memberSince: expect.any(String),
      isHost: false,
    });
  });

  it("returns 404 for an unknown id and 400 for a malformed one", async () => {
    expect((await t.request(`/v1/users/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await t.request("/v1/users/not-a-uuid")).status).toBe(400);
  });
});

describe("admin", () => {
  it("lists accounts newest first with a keyset cursor that neither skips nor repeats", async () => {
    for (let i = 0; i < 4; i++) await signUp(t);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page: { items: Array<{ id: string; email: string }>; nextCursor: string | null } = await json(
        await send("GET", `/v1/admin/users${query}`, admin.accessToken),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await json<{ items: Array<{ id: string }> }>(
      await send("GET", "/v1/admin/users?limit=100", admin.accessToken),
    );
    expect(seen).toEqual(all.items.map((u) => u.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("rejects a forged cursor with 400", async () => {
    const response = await send("GET", "/v1/admin/users?cursor=bm90LWEtY3Vyc29y", admin.accessToken);
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("suspension blocks sign-in and live tokens at once; reinstatement restores sign-in", async () => {
    const user = await signUp(t);
    const suspended = await send("POST", `/v1/admin/users/${user.id}/suspend`, admin.accessToken);
    expect(await json(suspended)).toMatchObject({ id: user.id, status: "suspended" });
    expect((await send("GET", "/v1/users/me", user.accessToken)).status).toBe(401);
    const login = () =>
      t.request("/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.201" },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
    const refused = await login();
    expect(refused.status).toBe(403);
    expect(await json(refused)).toMatchObject({ code: "FORBIDDEN" });
    const listed = await json<{ items: Array<{ id: string }> }>(
      await send("GET", "/v1/admin/users?status=suspended", admin.accessToken),
    );
    expect(listed.items.map((u) => u.id)).toContain(user.id);

    await send("POST", `/v1/admin/users/${user.id}/reinstate`, admin.accessToken);
    expect((await login()).status).toBe(200);
    // Tokens from before the suspension stay dead: their session was revoked.
    expect((await send("GET", "/v1/users/me", user.accessToken)).status).toBe(401);
  });

  it("lets an admin make another account an admin, which then may administer", async () => {
    const user = await signUp(t);
    expect((await send("GET", "/v1/admin/users", user.accessToken)).status).toBe(403);
    const granted = await send("POST", `/v1/admin/users/${user.id}/grant-admin`, admin.accessToken);
    expect(await json(granted)).toMatchObject({ id: user.id, role: "admin" });
    expect((await send("GET", "/v1/admin/users", user.accessToken)).status).toBe(200);
  });

  it("refuses to let an admin suspend themselves, and answers 404 for unknown users", async () => {
    expect((await send("POST", `/v1/admin/users/${admin.id}/suspend`, admin.accessToken)).status).toBe(409);
    expect(
      (await send("POST", `/v1/admin/users/${crypto.randomUUID()}/suspend`, admin.accessToken)).status,
    ).toBe(404);
  });
});

// Real concurrent sessions: PGlite runs one transaction at a time and would hide these races.
describe.skipIf(engine !== "postgres")("races (PostgreSQL)", () => {
  it("lets exactly one of many concurrent registrations of an e-mail through", async () => {
    const email = `race-${crypto.randomUUID()}@example.com`;
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.request("/v1/auth/register", {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": `192.0.2.${i + 10}` },
          body: JSON.stringify({
            email: i % 2 ? email.toUpperCase() : email,
            password: "12345678",
            name: "R",
          }),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
  });

  it("lets exactly one of many concurrent refreshes with the same token succeed, and treats the rest as reuse", async () => {
    const user = await signUp(t);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        t.request("/v1/auth/refresh", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ refreshToken: user.refreshToken }),
        }),
      ),
    );
    const ok = responses.filter((r) => r.status === 200);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
    const winner = await json<{ refreshToken: string }>(ok[0] as Response);
    // The losers presented a used-up token: the family is revoked, the winner's new token included.
    const after = await t.request("/v1/auth/refresh", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: winner.refreshToken }),
    });
    expect(after.status).toBe(401);
  });
});
