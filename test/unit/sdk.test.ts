import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { documentPath } from "../../scripts/openapi.ts";
import { generateSchema, idempotentOperations, schemaPath } from "../../scripts/sdk/generate.ts";
import { createStayedgeClient, StayedgeProblem, type Tokens, unwrap } from "../../sdk/src/index.ts";

const document = readFileSync(documentPath, "utf8");

describe("sdk/src/schema.ts", () => {
  it("is what openapi-typescript makes of openapi.json now (run `npm run openapi`)", async () => {
    expect(readFileSync(schemaPath, "utf8")).toBe(await generateSchema(document));
  });

  it("lists the operations that take an Idempotency-Key", () => {
    expect(idempotentOperations(JSON.parse(document))).toContain("POST /v1/bookings");
  });
});

describe("sdk/package.json", () => {
  it("has the API's version: the SDK and the document move together", () => {
    const sdk = JSON.parse(readFileSync(new URL("../../sdk/package.json", import.meta.url), "utf8"));
    expect(sdk.version).toBe(JSON.parse(document).info.version);
  });
});

/** A fake server: answers from `answer`, and keeps every request it was sent. */
function fakeServer(answer: (request: Request) => Response | Promise<Response>) {
  const seen: Request[] = [];
  return {
    seen,
    fetch: async (request: Request) => {
      seen.push(request.clone());
      return answer(request);
    },
  };
}

const json = (body: unknown, status = 200) => Response.json(body, { status });
const problem = (status: number, code: string, extra: object = {}) =>
  new Response(
    JSON.stringify({
      type: "about:blank",
      title: code,
      status,
      detail: `${code} detail`,
      code,
      requestId: "req_1",
      ...extra,
    }),
    { status, headers: { "content-type": "application/problem+json" } },
  );
const bookingBody = {
  listingId: crypto.randomUUID(),
  checkIn: "2026-07-01",
  checkOut: "2026-07-03",
  guests: 2,
};
const pair = (n: number) => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  tokenType: "Bearer",
  expiresIn: 900,
});

/** Answers 401 to any access token but the newest, and rotates refresh tokens (single use). */
function tokenServer() {
  let issued = 1;
  let refreshes = 0;
  const server = fakeServer(async (request) => {
    if (new URL(request.url).pathname === "/v1/auth/refresh") {
      const { refreshToken } = (await request.json()) as { refreshToken: string };
      if (refreshToken !== `refresh-${issued}`) return problem(401, "UNAUTHENTICATED");
      refreshes += 1;
      issued += 1;
      return json(pair(issued));
    }
    if (request.headers.get("authorization") !== `Bearer access-${issued}`)
      return problem(401, "UNAUTHENTICATED");
    return json({ ok: true });
  });
  return { ...server, refreshes: () => refreshes };
}

describe("createStayedgeClient", () => {
  it("sends the bearer token and nothing when signed out", async () => {
    const server = fakeServer(() => json({ items: [] }));
    const api = createStayedgeClient({ baseUrl: "http://api.test", fetch: server.fetch });
    await api.GET("/v1/users/me/bookings");
    api.setTokens({ accessToken: "a", refreshToken: "r" });
    await api.GET("/v1/users/me/bookings");
    expect(server.seen.map((r) => r.headers.get("authorization"))).toEqual([null, "Bearer a"]);
  });

  it("shares one refresh between concurrent 401s and retries them with the new token", async () => {
    const server = tokenServer();
    const reported: (Tokens | undefined)[] = [];
    const api = createStayedgeClient({
      baseUrl: "http://api.test",
      fetch: server.fetch,
      tokens: { accessToken: "stale", refreshToken: "refresh-1" },
      onTokens: (tokens) => reported.push(tokens),
    });
    const answers = await Promise.all([
      unwrap(api.GET("/v1/users/me")),
      unwrap(api.GET("/v1/users/me/bookings")),
      unwrap(api.GET("/v1/users/me/listings")),
    ]);
    expect(answers).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(server.refreshes()).toBe(1);
    expect(reported).toEqual([{ accessToken: "access-2", refreshToken: "refresh-2" }]);
    expect(api.tokens()).toEqual({ accessToken: "access-2", refreshToken: "refresh-2" });
    const refreshCalls = server.seen.filter((r) => r.url.endsWith("/v1/auth/refresh"));
    expect(refreshCalls.map((r) => r.headers.get("authorization"))).toEqual([null]);
  });

  it("ends the session when the refresh is refused, and throws the 401s", async () => {
    const server = tokenServer();
    const reported: (Tokens | undefined)[] = [];
    const api = createStayedgeClient({
      baseUrl: "http://api.test",
      fetch: server.fetch,
      tokens: { accessToken: "stale", refreshToken: "used-already" },
      onTokens: (tokens) => reported.push(tokens),
    });
    const unauthenticated = { status: 401, code: "UNAUTHENTICATED" };
    await Promise.all([
      expect(api.GET("/v1/users/me")).rejects.toMatchObject(unauthenticated),
      expect(api.GET("/v1/users/me/bookings")).rejects.toMatchObject(unauthenticated),
    ]);
    expect(server.seen.filter((r) => r.url.endsWith("/v1/auth/refresh"))).toHaveLength(1);
    expect(reported).toEqual([undefined]);
    expect(api.tokens()).toBeUndefined();
  });

  it("sends a fresh Idempotency-Key on bookings.create only, and keeps it on the retry after a refresh", async () => {
    const server = tokenServer();
    const api = createStayedgeClient({
      baseUrl: "http://api.test",
      fetch: server.fetch,
      tokens: { accessToken: "stale", refreshToken: "refresh-1" },
    });
    await api.POST("/v1/bookings", { body: bookingBody });
    await api.POST("/v1/bookings", { body: bookingBody });
    await api.POST("/v1/bookings/quote", { body: bookingBody });
    const keys = server.seen
      .filter((r) => !r.url.endsWith("/refresh"))
      .map((r) => [new URL(r.url).pathname, r.headers.get("idempotency-key")]);
    expect(keys).toHaveLength(4); // the first booking was sent twice: 401, then retried
    const [first, retried, second, quote] = keys;
    expect(first?.[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(retried?.[1]).toBe(first?.[1]);
    expect(second?.[1]).not.toBe(first?.[1]);
    expect(quote).toEqual(["/v1/bookings/quote", null]);
  });

  it("keeps the caller's own Idempotency-Key", async () => {
    const server = fakeServer(() => json({}, 201));
    const api = createStayedgeClient({ baseUrl: "http://api.test", fetch: server.fetch });
    await api.POST("/v1/bookings", {
      body: bookingBody,
      params: { header: { "idempotency-key": "mine-1" } },
    });
    expect(server.seen[0]?.headers.get("idempotency-key")).toBe("mine-1");
  });

  it("throws a typed StayedgeProblem for a problem+json answer, with its field errors", async () => {
    const errors = [{ location: "body.checkOut", message: "must be after checkIn" }];
    const server = fakeServer(() => problem(400, "VALIDATION_FAILED", { errors }));
    const api = createStayedgeClient({ baseUrl: "http://api.test", fetch: server.fetch });
    const thrown = await api
      .POST("/v1/bookings/quote", { body: bookingBody })
      .catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(StayedgeProblem);
    expect(thrown).toMatchObject({
      status: 400,
      code: "VALIDATION_FAILED",
      title: "VALIDATION_FAILED",
      detail: "VALIDATION_FAILED detail",
      requestId: "req_1",
      errors,
    });
  });

  it("leaves other unsuccessful answers to openapi-fetch's `error`, and unwrap throws them", async () => {
    const server = fakeServer(() => new Response("<h1>Bad gateway</h1>", { status: 502 }));
    const api = createStayedgeClient({ baseUrl: "http://api.test", fetch: server.fetch });
    const { error, response } = await api.GET("/health");
    expect([error, response.status]).toEqual(["<h1>Bad gateway</h1>", 502]);
    await expect(unwrap(api.GET("/health"))).rejects.toThrow(/502/);
  });
});
