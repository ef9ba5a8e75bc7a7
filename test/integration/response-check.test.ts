/**
 * The check every suite's answers go through (test/support/response-check.ts), tested for
 * vacuity: it must know the app's operations, catch each kind of wrong answer, fail the request
 * that received one, and really have checked the answers of ordinary requests.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiConfig } from "../../src/app.ts";
import { errorResponses } from "../../src/http/problem.ts";
import { createRouter } from "../../src/http/router.ts";
import { health } from "../../src/routes/health/health.routes.ts";
import * as listings from "../../src/routes/listings/listings.routes.ts";
import * as users from "../../src/routes/users/users.routes.ts";
import { expectStatus } from "../support/api.ts";
import { signUp } from "../support/auth-helpers.ts";
import { createListing } from "../support/listing-factory.ts";
import {
  type Answer,
  checkAnswer,
  type DocumentedRoute,
  documentedRoutes,
} from "../support/response-check.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const ID = "019ad6f4-6a3c-7c41-9a55-0f7e5b1c2d3e";

let t: TestApp;
let routes: DocumentedRoute[];

beforeAll(async () => {
  t = await createTestApp();
  routes = documentedRoutes(t.app);
});
afterAll(() => t.close());

describe("the routes the check reads", () => {
  it("are the operations of the generated OpenAPI document, at their full paths", () => {
    const document = t.app.getOpenAPI31Document(openApiConfig) as unknown as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    );
    expect(routes.map((r) => `${r.method} ${r.path} ${r.operation}`).sort()).toEqual(documented.sort());
    expect(routes.length).toBeGreaterThanOrEqual(18);
    expect(routes.map((r) => r.path)).toEqual(expect.arrayContaining(["/health", "/v1/listings/{id}"]));
  });

  it("match a request as Hono does: /v1/users/me is users.me, not users.get", () => {
    const operationOf = (method: string, path: string) =>
      checkAnswer(routes, { method, url: path, status: 401, contentType: null, text: "" }).operation;
    expect(operationOf("GET", "/v1/users/me")).toBe("users.me");
    expect(operationOf("GET", "/v1/users/me/listings?limit=2")).toBe("listings.listMine");
    expect(operationOf("GET", `/v1/users/${ID}`)).toBe("users.get");
    expect(operationOf("DELETE", "/health")).toBe("(no documented operation)");
  });
});

describe("a wrong answer is caught", () => {
  const profile = {
    id: ID,
    name: "Ann",
    avatarUrl: null,
    bio: null,
    memberSince: "2026-06-01T12:00:00.000Z",
    isHost: false,
    reviews: { asGuest: { count: 0, average: null }, asHost: { count: 0, average: null } },
  };
  const problem = {
    type: "https://stayedge.dev/problems/not-found",
    title: "Not found",
    status: 404,
    detail: "No such user.",
    code: "NOT_FOUND",
    requestId: "req_1",
  };
  const json = (body: unknown, status = 200, contentType = "application/json") => ({
    status,
    contentType,
    text: JSON.stringify(body),
  });
  const check = (answer: Partial<Answer>) =>
    checkAnswer(routes, { method: "GET", url: `/v1/users/${ID}`, ...json(profile), ...answer });

  it("and the right one passes (control)", () => {
    expect(check({})).toEqual({ operation: "users.get", problems: [] });
    expect(check(json(problem, 404, "application/problem+json")).problems).toEqual([]);
    const noBody = { method: "DELETE", url: `/v1/listings/${ID}`, status: 204, contentType: null, text: "" };
    expect(check(noBody).problems).toEqual([]);
    expect(check({ method: "HEAD", text: "" })).toEqual({ operation: "users.get", problems: [] });
    expect(check({ url: "/openapi.json", ...json({ openapi: "3.1.0" }) }).problems).toEqual([]);
    const preflight = { method: "OPTIONS", url: "/v1/listings", status: 204, contentType: null, text: "" };
    expect(check(preflight)).toEqual({ operation: "(CORS preflight)", problems: [] });
  });

  it.each<[string, Partial<Answer>, RegExp]>([
    ["an undocumented status", { status: 418 }, /status 418 is not declared/],
    ["an undocumented status of an error", json(problem, 409, "application/problem+json"), /status 409/],
    ["a missing field", json({ ...profile, name: undefined }), /body\.name: Invalid input/],
    ["an extra key", json({ ...profile, email: "ann@example.com" }), /undocumented key body\.email/],
    ["a wrong type", json({ ...profile, isHost: "yes" }), /body\.isHost: Invalid input: expected boolean/],
    ["a malformed value", json({ ...profile, memberSince: "yesterday" }), /body\.memberSince/],
    ["an undeclared content type", { contentType: "text/plain" }, /content type text\/plain is not declared/],
    ["a body that is not JSON", { text: "{" }, /the body is not JSON/],
    [
      "a problem with a key it does not document",
      json({ ...problem, stack: "at x.ts:1" }, 404, "application/problem+json"),
      /undocumented key body\.stack/,
    ],
    [
      "a problem whose status is not the answer's",
      json({ ...problem, status: 400 }, 404, "application/problem+json"),
      /problem document says status 400/,
    ],
    [
      "a problem sent as plain JSON",
      json(problem, 404),
      /content type application\/json is not declared \(declared: application\/problem\+json\)/,
    ],
    ["a body on a 204", { method: "DELETE", url: `/v1/listings/${ID}`, status: 204 }, /must be empty/],
    ["a body on a 304", { url: `/v1/listings/${ID}`, status: 304 }, /must be empty/],
    ["JSON from a path no operation documents", { url: "/v1/nowhere" }, /not application\/problem\+json/],
    ["an OPTIONS answer that is no preflight", { method: "OPTIONS", url: "/v1/listings" }, /not application/],
    ["a HEAD answer of an undeclared status", { method: "HEAD", status: 201, text: "" }, /status 201/],
    [
      "a problem with a code outside the closed list",
      { url: "/v1/nowhere", ...json({ ...problem, code: "OOPS" }, 404, "application/problem+json") },
      /body\.code/,
    ],
  ])("%s", (_what, answer, expected) => {
    const { problems } = check(answer);
    expect(problems.join("\n")).toMatch(expected);
  });

  it("finds keys the schema does not document at any depth", () => {
    const search = (page: unknown) =>
      checkAnswer(routes, { method: "GET", url: "/v1/listings?country=FR", ...json(page) }).problems;
    expect(search({ items: [searchItem()], nextCursor: null })).toEqual([]);
    expect(search({ items: [], nextCursor: null, total: 3 })).toEqual(["undocumented key body.total"]);
    expect(search({ items: [searchItem(), { ...searchItem(), secret: 1 }], nextCursor: null })).toEqual([
      "undocumented key body.items[1].secret",
    ]);
    const rating = { average: 4.5, count: 2, sum: 9 };
    expect(search({ items: [{ ...searchItem(), rating }], nextCursor: null })).toEqual([
      "undocumented key body.items[0].rating.sum",
    ]);
  });
});

/** A valid search item, from a real listing's shape. */
function searchItem() {
  return {
    id: ID,
    title: "Loft",
    propertyType: "entire_home",
    city: "Paris",
    country: "FR",
    location: { lat: 48.87, lng: 2.36 },
    maxGuests: 2,
    bedrooms: 1,
    beds: 1,
    bathrooms: 1,
    nightlyPrice: 10_000,
    currency: "EUR",
    instantBook: false,
    rating: { average: null, count: 0 },
    photo: null,
  };
}

describe("TestApp.request", () => {
  // A route that documents less than it answers, mounted like any router.
  const liar = createRoute({
    method: "get",
    path: "/liar/{kind}",
    operationId: "liar.get",
    request: { params: z.object({ kind: z.enum(["extra", "status"]) }) },
    responses: {
      200: { description: "ok", content: { "application/json": { schema: z.object({ ok: z.boolean() }) } } },
      ...errorResponses,
    },
  });

  beforeAll(() => {
    t.app.route(
      "/v1",
      createRouter().openapi(liar, (c) => {
        const body = { ok: true, secret: "s3cr3t" };
        // Cast: the types would refuse this handler, which is the point.
        return (
          c.req.valid("param").kind === "extra" ? c.json(body, 200) : c.json(body, 201 as 200)
        ) as never;
      }),
    );
  });

  it("fails the request with a message naming method, path, status and what is wrong", async () => {
    await expect(t.request("/v1/liar/extra")).rejects.toThrow(
      /GET \/v1\/liar\/extra → 200 \(liar\.get\) is not as documented:\n {2}- undocumented key body\.secret\n {2}body: \{"ok":true,"secret":"s3cr3t"\}/,
    );
    await expect(t.call(liar, { params: { kind: "status" } })).rejects.toThrow(
      /GET \/v1\/liar\/status → 201 \(liar\.get\) is not as documented:\n {2}- status 201 is not declared/,
    );
  });

  it("checks the real answers of every operation it is given, and counts them", async () => {
    const before = new Map(t.checked);
    const host = await signUp(t);
    const listing = await createListing(t, host.accessToken);
    expectStatus(await t.call(users.me, { token: host.accessToken }), 200);
    expectStatus(await t.call(users.getUser, { params: { id: ID } }), 404);
    expectStatus(await t.call(listings.getListing, { params: { id: listing.id } }), 200);
    const unchanged = await t.call(listings.getListing, {
      params: { id: listing.id },
      headers: { "if-none-match": listing.etag },
    });
    expectStatus(unchanged, 304);
    expectStatus(await t.call(listings.searchListings, { query: { country: "FR" } }), 200);
    expectStatus(await t.call(listings.searchListings, { query: { near: "91,0" } }), 400);
    expectStatus(
      await t.call(listings.deleteListing, { params: { id: listing.id }, token: host.accessToken }),
      204,
    );
    expectStatus(await t.call(health), 200);
    expect((await t.request("/v1/nowhere")).status).toBe(404);
    expect((await t.request("/health", { method: "DELETE" })).status).toBe(405);

    const counted = [...t.checked].flatMap(([key, n]) => {
      const added = n - (before.get(key) ?? 0);
      return added > 0 ? [[key, added] as const] : [];
    });
    expect(Object.fromEntries(counted)).toEqual({
      "auth.register 201": 1,
      "auth.login 200": 1,
      "listings.create 201": 1,
      "users.me 200": 1,
      "users.get 404": 1,
      "listings.get 200": 1,
      "listings.get 304": 1,
      "listings.search 200": 1,
      "listings.search 400": 1,
      "listings.delete 204": 1,
      "health.live 200": 1,
      "(no documented operation) 404": 1,
      "(no documented operation) 405": 1,
    });
  });
});
