/**
 * Text PostgreSQL cannot store (U+0000, a lone UTF-16 surrogate) and hand-made cursors, sent to
 * every operation of the OpenAPI document (those added later too): each must be a 400 naming the
 * field, never a 500, and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiConfig } from "../../src/app.ts";
import { encodeCursor } from "../../src/http/cursor.ts";
import { authHeader, type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { createListing } from "../support/listing-factory.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

interface Parameter {
  in: string;
  name: string;
}
interface Operation {
  operationId: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { example?: unknown }> };
}
interface Case {
  name: string;
  method: string;
  path: string;
  op: Operation;
}

const ADMIN_EMAIL = "bad-input-admin@example.com";
const NUL = "\u0000";
const LONE_SURROGATE = "\ud800";
const SAMPLE_ID = "019ad6f4-6a3c-7c41-9a55-0f7e5b1c2d3e";

let t: TestApp;
let user: SignedUpUser;
let admin: SignedUpUser;
let operations: Case[] = [];

beforeAll(async () => {
  t = await createTestApp({ env: { ADMIN_EMAIL } });
  user = await signUp(t);
  admin = await signUp(t, { email: ADMIN_EMAIL });
  const document = t.app.getOpenAPI31Document(openApiConfig) as unknown as {
    paths: Record<string, Record<string, Operation>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      name: `${method.toUpperCase()} ${path} (${op.operationId})`,
      method: method.toUpperCase(),
      path,
      op,
    })),
  );
});
afterAll(() => t.close());

/** A documentation-range address per request, so per-IP rate limits never answer first. */
const someIp = () => `192.0.2.${1 + Math.floor(Math.random() * 254)}`;

function send(c: Case, options: { path?: string; query?: string; body?: unknown } = {}): Promise<Response> {
  const protectedOp = c.op.security?.every((requirement) => "bearerAuth" in requirement) ?? false;
  const token = c.op.tags.includes("Admin") ? admin.accessToken : user.accessToken;
  const headers: Record<string, string> = { "x-forwarded-for": someIp() };
  if (protectedOp) Object.assign(headers, authHeader(token));
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const path = options.path ?? c.path.replaceAll(/\{[^}]+\}/g, SAMPLE_ID);
  return t.request(`${path}${options.query ? `?${options.query}` : ""}`, {
    method: c.method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

/** Every string in `value`, with the path to it. */
function strings(value: unknown, path: string[] = []): Array<{ path: string[]; text: string }> {
  if (typeof value === "string") return [{ path, text: value }];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => strings(child, [...path, key]));
}

function withString(value: unknown, path: string[], text: string): unknown {
  if (path.length === 0) return text;
  const [head = "", ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>;
  copy[head] = withString(copy[head], rest, text);
  return copy;
}

async function expectRefused(response: Response, location: string, context: string) {
  const text = await response.text();
  expect(response.status, `${context}: ${text}`).toBe(400);
  const problem = JSON.parse(text) as { code: string; errors?: Array<{ location: string }> };
  expect(problem.code, context).toBe("VALIDATION_FAILED");
  expect(
    problem.errors?.map((e) => e.location),
    `${context}: ${text}`,
  ).toContain(location);
}

describe("text the database cannot store, on every operation", () => {
  it("finds the operations, bodies and query parameters to try (the walk is not vacuous)", () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
    const bodies = operations.filter((c) => c.op.requestBody);
    expect(bodies.length).toBeGreaterThanOrEqual(9);
    for (const c of bodies) {
      // Without an example this walk would have nothing to send: document one for every body.
      expect(c.op.requestBody?.content["application/json"]?.example, c.name).toBeDefined();
    }
    const queryParameters = operations.flatMap((c) =>
      (c.op.parameters ?? []).filter((p) => p.in === "query"),
    );
    expect(queryParameters.length).toBeGreaterThanOrEqual(15);
  });

  it("answers 400 naming the body field for NUL or a lone surrogate in any string of any body", async () => {
    let tried = 0;
    for (const c of operations.filter((op) => op.op.requestBody)) {
      const example = c.op.requestBody?.content["application/json"]?.example;
      const control = await send(c, { body: example });
      expect(control.status, `${c.name} with its example: ${await control.clone().text()}`).toBeLessThan(500);
      for (const { path, text } of strings(example)) {
        for (const bad of [`${text}${NUL}`, `${LONE_SURROGATE}${text}`]) {
          const response = await send(c, { body: withString(example, path, bad) });
          await expectRefused(response, ["body", ...path].join("."), `${c.name} body.${path.join(".")}`);
          tried++;
        }
      }
    }
    expect(tried).toBeGreaterThan(40);
  });

  it("answers 400 naming the query parameter for NUL in any query parameter", async () => {
    for (const c of operations) {
      for (const parameter of (c.op.parameters ?? []).filter((p) => p.in === "query")) {
        const query = `${parameter.name}=${encodeURIComponent(`x${NUL}`)}`;
        await expectRefused(await send(c, { query }), `query.${parameter.name}`, `${c.name} ?${query}`);
      }
    }
  });

  it("answers 400 naming the path parameter for NUL in any path parameter", async () => {
    for (const c of operations.filter((op) => op.path.includes("{"))) {
      const path = c.path.replaceAll(/\{[^}]+\}/g, encodeURIComponent(`${SAMPLE_ID}${NUL}`));
      const name = /\{([^}]+)\}/.exec(c.path)?.[1];
      await expectRefused(await send(c, { path }), `path.${name}`, `${c.name} ${path}`);
    }
  });

  it("stores nothing from a refused request", async () => {
    const host = await signUp(t);
    const listing = await createListing(t, host.accessToken, { title: "Before" });
    const response = await t.request(`/v1/listings/${listing.id}`, {
      method: "PATCH",
      headers: { ...authHeader(host.accessToken), "content-type": "application/json" },
      body: JSON.stringify({
        title: "After",
        photos: [{ url: "https://img.example/a.jpg", caption: "\ud83c" }],
      }),
    });
    await expectRefused(response, "body.photos.0.caption", "PATCH with a lone surrogate in a caption");
    const current = await (await t.request(`/v1/listings/${listing.id}`)).json();
    expect(current).toMatchObject({ title: "Before", photos: [] });
  });
});

describe("hand-made cursors", () => {
  const id = SAMPLE_ID;
  const raw = (text: string) => Buffer.from(text).toString("base64url");
  const searchCursors: Array<[string, string, string]> = [
    [
      "a float where a price is compared",
      "sort=price_asc",
      encodeCursor({ sort: "price_asc", key: 12.5, id }),
    ],
    ["a price of 2^31", "sort=price_desc", encodeCursor({ sort: "price_desc", key: 2 ** 31, id })],
    ["a negative price", "sort=price_asc", encodeCursor({ sort: "price_asc", key: -1, id })],
    [
      "a number where a date belongs",
      "sort=newest",
      encodeCursor({ sort: "newest", key: 1_700_000_000, id }),
    ],
    [
      "a date that does not exist",
      "sort=newest",
      encodeCursor({ sort: "newest", key: "2026-02-30T00:00:00Z", id }),
    ],
    ["a NUL in the id", "sort=price_asc", encodeCursor({ sort: "price_asc", key: 100, id: `${id}${NUL}` })],
    ["an id that is not a UUID", "sort=rating", encodeCursor({ sort: "rating", key: 4.5, id: "x" })],
    [
      "a distance past the other side of the Earth",
      "near=48,2",
      encodeCursor({ sort: "distance", key: 3, id }),
    ],
    ["another sort's cursor", "sort=newest", encodeCursor({ sort: "price_asc", key: 100, id })],
    ["an unknown sort", "", encodeCursor({ sort: "cheapest", key: 100, id })],
    ["no key", "", encodeCursor({ sort: "price_asc", id })],
    ["JSON that is not an object", "", encodeCursor([1, 2, 3])],
    ["text that is not JSON", "", raw("price_asc:100")],
    ["bytes that are not UTF-8", "", Buffer.from([0xff, 0xfe, 0x7b]).toString("base64url")],
    ["characters outside base64url", "", "not*base64"],
    ["the old search cursor shape", "", encodeCursor({ s: "price_asc", k: 100, i: id })],
  ];

  it.each(searchCursors)(
    "listings.search refuses %s with 400 on query.cursor",
    async (_what, query, cursor) => {
      const response = await t.request(`/v1/listings?${query}&cursor=${encodeURIComponent(cursor)}`);
      await expectRefused(response, "query.cursor", `cursor ${cursor}`);
    },
  );

  const newestFirstCursors: Array<[string, string]> = [
    ["a number where a date belongs", encodeCursor({ c: 1_700_000_000, i: id })],
    ["a bad date", encodeCursor({ c: "2026-13-01T00:00:00Z", i: id })],
    ["a NUL in the id", encodeCursor({ c: "2026-06-01T12:00:00.000Z", i: `${id}${NUL}` })],
    ["an id that is not a UUID", encodeCursor({ c: "2026-06-01T12:00:00.000Z", i: "0" })],
  ];

  it.each(newestFirstCursors)("listings.listMine and admin.listUsers refuse %s", async (_what, cursor) => {
    const query = `cursor=${encodeURIComponent(cursor)}`;
    for (const [path, token] of [
      ["/v1/users/me/listings", user.accessToken],
      ["/v1/admin/users", admin.accessToken],
    ] as const) {
      const response = await t.request(`${path}?${query}`, { headers: authHeader(token) });
      await expectRefused(response, "query.cursor", `${path} cursor ${cursor}`);
    }
  });

  it("accepts the cursors it hands out (control)", async () => {
    const host = await signUp(t);
    for (let i = 0; i < 3; i++) await createListing(t, host.accessToken, { title: `Cursor ${i}` });
    for (const sort of ["price_asc", "price_desc", "newest", "rating"]) {
      const first = (await (await t.request(`/v1/listings?country=FR&sort=${sort}&limit=1`)).json()) as {
        nextCursor: string;
      };
      const next = await t.request(`/v1/listings?country=FR&sort=${sort}&limit=1&cursor=${first.nextCursor}`);
      expect(next.status, sort).toBe(200);
    }
  });
});
