import { createRoute, z } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { errorResponses } from "../../src/http/problem.ts";
import { createRouter } from "../../src/http/router.ts";
import { health, ready } from "../../src/routes/health/health.routes.ts";
import { type CallInput, expectStatus } from "../support/api.ts";
import { signUp } from "../support/auth-helpers.ts";
import { createListing, listingBody } from "../support/listing-factory.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const probeBody = z.object({
  email: z.email(),
  guests: z.number().int().min(1),
  note: z.string().max(10).optional(),
});

// A probe route built with the real router factory, to exercise the contract every route gets.
const probe = createRoute({
  method: "post",
  path: "/probe/{id}",
  operationId: "probe.create",
  tags: ["Probe"],
  request: {
    params: z.object({ id: z.string().regex(/^[a-z]{3}$/) }),
    query: z.object({ limit: z.coerce.number().int().max(50).optional() }),
    body: { content: { "application/json": { schema: probeBody } } },
  },
  responses: {
    201: {
      description: "ok",
      content: { "application/json": { schema: probeBody.extend({ id: z.string() }) } },
    },
    ...errorResponses,
  },
});

const probeRouter = createRouter()
  .openapi(probe, (c) => c.json({ id: c.req.valid("param").id, ...c.req.valid("json") }, 201))
  .get("/boom", () => {
    throw new Error("connect ECONNREFUSED 10.0.0.7:5432 user=admin password=hunter2");
  });

/** The problem document of an answer, which names its request's id. */
async function problemOf(response: Response | { headers: Headers; text: string }) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const text = response instanceof Response ? await response.text() : response.text;
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body.requestId).toBe(response.headers.get("x-request-id"));
  return body;
}

describe("HTTP contract", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_LIMIT_BYTES: "256", CORS_ORIGINS: "https://app.example" } });
    t.app.route("/v1", probeRouter);
  });
  afterAll(() => t.close());

  const sendProbe = (input: CallInput<typeof probe>) => t.call(probe, { params: { id: "abc" }, ...input });

  it("GET /health answers 200 without touching the database", async () => {
    const alive = await t.call(health);
    expectStatus(alive, 200);
    expect(alive.body).toEqual({ status: "ok" });
  });

  it("GET /ready checks the database", async () => {
    const answer = await t.call(ready);
    expectStatus(answer, 200);
    expect(answer.body.status).toBe("ready");
    expect(answer.body.checks.database.kind).toBe(t.deps.database.kind);
  });

  it("accepts a valid request", async () => {
    expectStatus(await sendProbe({ body: { email: "a@example.com", guests: 2 } }), 201);
  });

  it("returns 404 NOT_FOUND problem+json for an unknown route", async () => {
    const response = await t.request("/v1/nowhere");
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ code: "NOT_FOUND", status: 404, title: "Not found" });
  });

  it("returns 405 METHOD_NOT_ALLOWED with Allow for a known path and wrong method", async () => {
    const response = await t.request("/health", { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
    expect(await problemOf(response)).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
  });

  it("returns 400 VALIDATION_FAILED with one entry per invalid field, across body, path and query", async () => {
    const refused = await sendProbe({ query: { limit: 500 }, body: { email: "not-an-email", guests: 0 } });
    expectStatus(refused, 400);
    const body = await problemOf(refused);
    expect(body.code).toBe("VALIDATION_FAILED");
    // Query is validated before the body: the first failing target answers.
    expect(body.errors).toEqual([{ location: "query.limit", message: expect.any(String) }]);

    const bodyErrors = await problemOf(
      await sendProbe({ body: { email: "not-an-email", guests: 0, note: "far too long" } }),
    );
    expect((bodyErrors.errors as Array<{ location: string }>).map((e) => e.location).sort()).toEqual([
      "body.email",
      "body.guests",
      "body.note",
    ]);

    const pathErrors = await problemOf(
      await sendProbe({ params: { id: "ABCD" }, body: { email: "a@b.co", guests: 1 } }),
    );
    expect(pathErrors.errors).toEqual([{ location: "path.id", message: expect.any(String) }]);
    // The library's default answer would dump the ZodError, regex source included.
    expect(JSON.stringify(pathErrors)).not.toContain("^[a-z]{3}$");
  });

  it("returns 400 MALFORMED_REQUEST for broken JSON", async () => {
    const refused = await sendProbe({ rawBody: '{"email": "a@b.co", ' });
    expectStatus(refused, 400);
    expect(await problemOf(refused)).toMatchObject({ code: "MALFORMED_REQUEST" });
  });

  it("returns 413 PAYLOAD_TOO_LARGE for a body over BODY_LIMIT_BYTES", async () => {
    const refused = await sendProbe({ body: { email: "a@b.co", guests: 1, note: "x".repeat(400) } });
    expectStatus(refused, 413);
    expect(await problemOf(refused)).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
  });

  it("returns 415 UNSUPPORTED_MEDIA_TYPE for a non-JSON body", async () => {
    const refused = await sendProbe({
      headers: { "content-type": "application/x-www-form-urlencoded" },
      rawBody: "email=a@b.co&guests=1",
    });
    expectStatus(refused, 415);
    expect(await problemOf(refused)).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
  });

  it("returns an opaque 500 INTERNAL and keeps the details for the log only", async () => {
    const response = await t.request("/v1/boom");
    expect(response.status).toBe(500);
    const text = await response.clone().text();
    expect(text).not.toMatch(/ECONNREFUSED|hunter2|10\.0\.0\.7|at /);
    expect(await problemOf(response)).toMatchObject({ code: "INTERNAL", status: 500 });
    const line = t.logger.lines.at(-1);
    expect(line).toMatchObject({ message: "request", status: 500, error: "Error", outcome: "error" });
    expect(JSON.stringify(line)).not.toContain("hunter2");
  });

  it("honours a well-formed incoming X-Request-Id and replaces a malformed one", async () => {
    const kept = await t.call(health, { headers: { "x-request-id": "edge-7f3a9c21-req" } });
    expect(kept.headers.get("x-request-id")).toBe("edge-7f3a9c21-req");
    const replaced = await t.call(health, { headers: { "x-request-id": "bad id <script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^req_[0-9a-f-]{36}$/);
  });

  it("writes exactly one JSON log line per request, errors included", async () => {
    const before = t.logger.lines.length;
    await t.call(health);
    await t.request("/v1/nowhere");
    await sendProbe({ rawBody: "{" });
    await t.request("/v1/boom");
    const lines = t.logger.lines.slice(before);
    expect(lines.map((l) => [l.message, l.status])).toEqual([
      ["request", 200],
      ["request", 404],
      ["request", 400],
      ["request", 500],
    ]);
    for (const line of lines) expect(line).toHaveProperty("requestId");
    expect(lines[0]).toMatchObject({ method: "GET", path: "/health", route: "/health", outcome: "ok" });
  });

  it("answers CORS preflights for configured origins only", async () => {
    const preflight = (origin: string) =>
      t.request("/v1/probe/abc", {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
    const allowed = await preflight("https://app.example");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const other = await preflight("https://evil.example");
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves the OpenAPI 3.1 document and the Scalar reference", async () => {
    const doc = (await (await t.request("/openapi.json")).json()) as { openapi: string; paths: object };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/health", "/ready"]));
    const docs = await t.request("/docs");
    expect(docs.status).toBe(200);
    expect(docs.headers.get("content-type")).toContain("text/html");
    expect(await docs.text()).toContain("/openapi.json");
  });
});

describe("headers every answer carries", () => {
  // Listing reads and searches build their headers as one plain object (src/http/headers.ts); every
  // other answer gets them from the request middleware. Both must carry the same set, also when
  // CORS (configured) rebuilds the answer on its way out.
  it.each([
    ["without CORS", ""],
    ["with CORS", "https://app.example"],
  ])("sets secure headers and the request id on every response %s", async (_, origins) => {
    const t = await createTestApp({ env: { CORS_ORIGINS: origins } });
    onTestFinished(() => t.close());
    const host = await signUp(t);
    const listing = await createListing(t, host.accessToken);
    const { address } = listingBody();
    const requests: Array<[string, Record<string, string>, number]> = [
      ["/health", {}, 200],
      ["/v1/nowhere", {}, 404],
      [`/v1/listings/${listing.id}`, {}, 200],
      [`/v1/listings/${listing.id}`, { "if-none-match": listing.etag }, 304],
      [`/v1/listings/${listing.id}`, { origin: "https://app.example" }, 200],
      [`/v1/listings?${new URLSearchParams({ city: address.city, country: address.country })}`, {}, 200],
      ["/v1/listings?near=91,0", {}, 400],
    ];
    for (const [path, headers, status] of requests) {
      const response = await t.request(path, { headers });
      const got = Object.fromEntries(response.headers);
      expect(response.status, `${path} ${JSON.stringify(got)}`).toBe(status);
      expect(got, path).toMatchObject({
        "x-content-type-options": "nosniff",
        "strict-transport-security": "max-age=15552000; includeSubDomains",
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
        "cross-origin-resource-policy": "cross-origin",
        "x-request-id": expect.stringMatching(/^req_[0-9a-f-]{36}$/),
      });
      // Headers for HTML pages only weigh down an API's answers.
      expect(got["x-xss-protection"], path).toBeUndefined();
      if (origins && headers.origin) expect(got["access-control-allow-origin"], path).toBe(headers.origin);
    }
  });
});
