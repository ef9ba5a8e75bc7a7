/**
 * Security suite driven by the OpenAPI document: every operation that requires `bearerAuth`, now
 * or added later, is probed without and with bad credentials; admin operations with a non-admin;
 * every response schema for secret-looking fields. Plus BOLA checks on the user routes.
 */
import { sign } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, openApiConfig } from "../../src/app.ts";
import { parseConfig } from "../../src/config.ts";
import type { DatabasePort } from "../../src/db/database.ts";
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from "../../src/domain/identity/tokens.ts";
import { toBase64Url } from "../../src/lib/base64url.ts";
import { nodeDeps } from "../../src/node/deps.ts";
import * as adminRoutes from "../../src/routes/admin/admin.routes.ts";
import { logout } from "../../src/routes/auth/auth.routes.ts";
import * as users from "../../src/routes/users/users.routes.ts";
import { expectStatus } from "../support/api.ts";
import { authHeader, type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { documentedRoutes } from "../support/response-check.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

// ---------------------------------------------------------------------------------------------
// The OpenAPI document, read generically

type SecurityRequirement = Record<string, string[]>;
type Schema = Record<string, unknown>;
interface Operation {
  operationId?: string;
  tags?: string[];
  security?: SecurityRequirement[];
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> } | { $ref: string }>;
}
interface Document {
  security?: SecurityRequirement[];
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}
interface Probe {
  /** e.g. `PATCH /v1/users/me (users.updateMe)` */
  name: string;
  operationId: string;
  method: string;
  path: string;
  tags: string[];
  hasBody: boolean;
}

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const SAMPLE_ID = "019ad6f4-6a3c-7c41-9a55-0f7e5b1c2d3e";

function operationsOf(document: Document): Array<{ method: string; path: string; op: Operation }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => ({ method, path, op: op as Operation })),
  );
}

/**
 * An operation's own `security`, or the document's when it has none (OpenAPI 3.1 §4.8.10). It
 * requires bearerAuth when every alternative names bearerAuth: an empty alternative (`{}`) makes
 * authentication optional, and `security: []` makes the operation public.
 */
function requiresBearer(document: Document, op: Operation): boolean {
  const security = op.security ?? document.security ?? [];
  return security.length > 0 && security.every((requirement) => "bearerAuth" in requirement);
}

function probesOf(document: Document): Probe[] {
  return operationsOf(document)
    .filter(({ op }) => requiresBearer(document, op))
    .map(({ method, path, op }) => ({
      name: `${method.toUpperCase()} ${path} (${op.operationId})`,
      operationId: op.operationId ?? "",
      method: method.toUpperCase(),
      path,
      tags: op.tags ?? [],
      hasBody: op.requestBody !== undefined,
    }));
}

function resolve(document: Document, value: unknown): unknown {
  const ref = (value as { $ref?: unknown } | null)?.$ref;
  if (typeof ref !== "string") return value;
  const parts = ref.replace(/^#\//, "").split("/");
  let target: unknown = document;
  for (const part of parts) target = (target as Record<string, unknown> | undefined)?.[part];
  if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
  return resolve(document, target);
}

/** Every property name reachable from `schema`, with where it was found. Follows $ref (cycles once). */
function propertyNames(
  document: Document,
  schema: unknown,
  where: string,
  seen = new Set<unknown>(),
): Array<{ name: string; where: string }> {
  const ref = (schema as { $ref?: unknown } | null)?.$ref;
  const here = typeof ref === "string" ? `${where} → ${ref}` : where;
  const resolved = resolve(document, schema);
  if (resolved === null || typeof resolved !== "object" || seen.has(resolved)) return [];
  seen.add(resolved);
  const node = resolved as Schema;
  const found: Array<{ name: string; where: string }> = [];
  const walk = (child: unknown, suffix: string): void => {
    found.push(...propertyNames(document, child, here + suffix, seen));
  };

  for (const key of ["properties", "patternProperties"] as const) {
    const properties = node[key];
    if (properties && typeof properties === "object") {
      for (const [name, child] of Object.entries(properties)) {
        found.push({ name, where: here });
        walk(child, `.${name}`);
      }
    }
  }
  for (const key of ["items", "additionalProperties", "not", "contains", "unevaluatedProperties"]) {
    if (node[key] && typeof node[key] === "object") walk(node[key], `[${key}]`);
  }
  for (const key of ["allOf", "anyOf", "oneOf", "prefixItems"]) {
    const list = node[key];
    if (Array.isArray(list)) {
      for (const [i, child] of list.entries()) walk(child, `.${key}[${i}]`);
    }
  }
  // `required` names properties too: a `required: ["password"]` without its property is caught.
  if (Array.isArray(node.required)) {
    for (const name of node.required)
      if (typeof name === "string") found.push({ name, where: `${here}.required` });
  }
  return found;
}

/** Every response schema in the document: inline under paths, and `components.responses`. */
function responseSchemas(document: Document): Array<{ where: string; schema: unknown }> {
  const schemasOf = (where: string, response: unknown) => {
    const resolved = resolve(document, response) as { content?: Record<string, { schema?: unknown }> };
    return Object.entries(resolved?.content ?? {})
      .filter(([, media]) => media.schema !== undefined)
      .map(([type, media]) => ({ where: `${where} ${type}`, schema: media.schema }));
  };
  const fromPaths = operationsOf(document).flatMap(({ method, path, op }) =>
    Object.entries(op.responses ?? {}).flatMap(([status, response]) =>
      schemasOf(`${method.toUpperCase()} ${path} ${status}`, response),
    ),
  );
  const fromComponents = Object.entries(document.components?.responses ?? {}).flatMap(([name, response]) =>
    schemasOf(`components.responses.${name}`, response),
  );
  return [...fromPaths, ...fromComponents];
}

const SECRET_LOOKING = /password|hash|salt|secret/i;
/**
 * Secrets an answer is meant to carry: a PaymentIntent's client secret, which Stripe.js needs to
 * pay it, shown only to the booking's guest while the payment is due.
 */
const MEANT_FOR_THE_CALLER = new Set(["clientSecret"]);

/**
 * The protected operations, read at collection time (so `describe.each` names one group per
 * route) from the real app built without a database: building it opens no connection.
 */
function collectProbes(): Probe[] {
  const config = parseConfig({ APP_ENV: "test", JWT_SECRET: "collect-only-secret-of-32-characters!!" });
  const noDatabase: DatabasePort = {
    kind: "pglite",
    connect: () => {
      throw new Error("collecting the probes never touches the database");
    },
    close: async () => {},
  };
  const app = createApp(nodeDeps(config, noDatabase));
  return probesOf(app.getOpenAPI31Document(openApiConfig) as unknown as Document);
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

const encode = (value: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(value)));

function claimsOf(token: string): { sub: string; sid: string; iat: number; exp: number; iss: string } {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(atob(payload.replaceAll("-", "+").replaceAll("_", "/")));
}

/** The probed operation, called through the test client with a sample id and, if it takes one, `{}`. */
function send(t: TestApp, probe: Probe, headers: Record<string, string> = {}) {
  const route = documentedRoutes(t.app).find((r) => r.operation === probe.operationId);
  if (!route) throw new Error(`${probe.name} is not a route of the app`);
  const params = Object.fromEntries(
    [...probe.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => [name, SAMPLE_ID]),
  );
  return t.call(route.config, { params, headers, ...(probe.hasBody ? { rawBody: "{}" } : {}) });
}

async function expectProblem(
  response: { status: number; headers: Headers; text: string },
  status: number,
  code: string,
  context: string,
) {
  const { text } = response;
  expect(response.status, `${context}: ${text}`).toBe(status);
  expect(response.headers.get("content-type"), context).toBe("application/problem+json");
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body, context).toMatchObject({ status, code });
  expect(body.requestId, context).toBe(response.headers.get("x-request-id"));
  if (status === 401) expect(response.headers.get("www-authenticate"), context).toMatch(/^Bearer\s/);
  return body;
}

// ---------------------------------------------------------------------------------------------

describe("security, driven by the OpenAPI document", () => {
  let t: TestApp;
  const clock = manualClock();
  const ADMIN_EMAIL = "admin@security.example";
  let document: Document;
  let admin: SignedUpUser;
  let userA: SignedUpUser;
  let userB: SignedUpUser;
  const badTokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ deps: { clock }, env: { ADMIN_EMAIL } });
    document = t.app.getOpenAPI31Document(openApiConfig) as unknown as Document;
    const secret = t.deps.config.JWT_SECRET;

    // A live session whose tokens are then made bad in every way but the session.
    const victim = await signUp(t);
    const { sub, sid } = claimsOf(victim.accessToken);
    const live = { userId: sub, sessionId: sid, now: clock.now() };

    const expired = await signAccessToken(live, secret);
    // Control: the hand-signed token works while fresh, so only expiry can explain its 401 later.
    expectStatus(await t.call(users.me, { token: expired }), 200);
    clock.advance(ACCESS_TOKEN_TTL_SECONDS * 1000 + 1000);

    // A real token of a session that then signed out.
    const leaver = await signUp(t);
    expectStatus(await t.call(users.me, { token: leaver.accessToken }), 200);
    expectStatus(await t.call(logout, { token: leaver.accessToken }), 204);

    // Claims of the live session, fresh at the advanced clock: only the signature is wrong.
    const iat = Math.floor(clock.now().getTime() / 1000);
    const claims = { iss: "stayedge", sub, sid, iat, exp: iat + ACCESS_TOKEN_TTL_SECONDS };
    // Control: the same claims, signed properly, work; so the tokens below fail on their signature.
    const good = await sign(claims, secret, "HS256");
    expectStatus(await t.call(users.me, { token: good }), 200);
    Object.assign(badTokens, {
      garbage: "this-is-not-a-jwt",
      "three garbage segments": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bm9wZQ",
      "signed with another key": await signAccessToken(
        { ...live, now: clock.now() },
        "another-secret-of-at-least-32-characters",
      ),
      "alg none": `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.`,
      "HS512 with the right key": await sign(claims, secret, "HS512"),
      expired,
      "of a logged-out session": leaver.accessToken,
    });

    admin = await signUp(t, { email: ADMIN_EMAIL });
    userA = await signUp(t);
    userB = await signUp(t);
  });
  afterAll(() => t?.close());

  const probes = collectProbes();

  it("finds the protected operations (a non-trivial number, so the suite cannot pass vacuously)", () => {
    expect(probesOf(document).map((probe) => probe.name)).toEqual(probes.map((probe) => probe.name));
    expect(probes.length).toBeGreaterThanOrEqual(6);
    expect(probes.map((probe) => probe.operationId)).toEqual(
      expect.arrayContaining(["users.me", "users.updateMe", "auth.logout", "admin.listUsers"]),
    );
    // And the public ones are not in the list.
    expect(probes.map((probe) => probe.operationId)).not.toContain("users.get");
    expect(probes.map((probe) => probe.operationId)).not.toContain("auth.login");
  });

  describe.each(probes)("$name", (probe) => {
    it("without Authorization → 401 UNAUTHENTICATED with a Bearer challenge", async () => {
      await expectProblem(await send(t, probe), 401, "UNAUTHENTICATED", probe.name);
    });

    it("with a non-Bearer Authorization → 401", async () => {
      const response = await send(t, probe, {
        authorization: `Basic ${btoa(`${userA.email}:${userA.password}`)}`,
      });
      await expectProblem(response, 401, "UNAUTHENTICATED", probe.name);
    });

    it.each([
      "garbage",
      "three garbage segments",
      "signed with another key",
      "alg none",
      "HS512 with the right key",
      "expired",
      "of a logged-out session",
    ])("with a token %s → 401", async (kind) => {
      const token = badTokens[kind];
      expect(token, kind).toBeDefined();
      const response = await send(t, probe, authHeader(token ?? ""));
      await expectProblem(response, 401, "UNAUTHENTICATED", `${probe.name} with a token ${kind}`);
    });
  });

  describe.each(probes.filter((probe) => probe.tags.includes("Admin")))("admin-only $name", (probe) => {
    it("signed in as a non-admin → 403 FORBIDDEN", async () => {
      const response = await send(t, probe, authHeader(userA.accessToken));
      await expectProblem(response, 403, "FORBIDDEN", probe.name);
    });

    it("signed in as an admin → neither 401 nor 403 (control)", async () => {
      const response = await send(t, probe, authHeader(admin.accessToken));
      expect([401, 403], `${probe.name}: ${response.text}`).not.toContain(response.status);
    });
  });

  it("the admin control is meaningful: the admin account really is one", async () => {
    const me = await t.call(users.me, { token: admin.accessToken });
    expect(me.body).toMatchObject({ email: ADMIN_EMAIL, role: "admin" });
    expectStatus(await t.call(adminRoutes.listUsers, { token: admin.accessToken }), 200);
  });

  describe("response schemas", () => {
    it("no response schema has a password, hash, salt or secret property (components and inline)", () => {
      const schemas = responseSchemas(document);
      const names = schemas.flatMap(({ where, schema }) => propertyNames(document, schema, where));
      // The walk reaches into components and nested objects (or this test would pass vacuously).
      expect(schemas.length).toBeGreaterThan(20);
      const seen = new Set(names.map((n) => n.name));
      for (const expected of ["email", "accessToken", "refreshToken", "nextCursor", "code", "location"]) {
        expect(seen, `walk did not reach ${expected}`).toContain(expected);
      }
      expect(names.filter((n) => SECRET_LOOKING.test(n.name) && !MEANT_FOR_THE_CALLER.has(n.name))).toEqual(
        [],
      );
    });

    it("the walker does find such a property anywhere it can hide (self-test)", () => {
      const doc: Document = {
        paths: {},
        components: {
          schemas: {
            Deep: {
              type: "object",
              properties: { inner: { allOf: [{ properties: { passwordHash: {} } }] } },
            },
          },
        },
      };
      const hidden = [
        { $ref: "#/components/schemas/Deep" },
        { type: "array", items: { properties: { salt: {} } } },
        { anyOf: [{ type: "string" }, { properties: { clientSecret: {} } }] },
        { oneOf: [{ properties: { nested: { type: "object", properties: { newPassword: {} } } } }] },
        { type: "object", additionalProperties: { properties: { tokenHash: {} } } },
      ];
      for (const schema of hidden) {
        const names = propertyNames(doc, schema, "test").map((n) => n.name);
        expect(
          names.some((name) => SECRET_LOOKING.test(name)),
          JSON.stringify(schema),
        ).toBe(true);
      }
    });

    it("users.get (the public profile) documents no email or phone", () => {
      const found = operationsOf(document).find(({ op }) => op.operationId === "users.get");
      expect(found, "users.get is in the document").toBeDefined();
      const ok = resolve(document, found?.op.responses?.["200"]) as {
        content?: Record<string, { schema?: unknown }>;
      };
      const schema = ok.content?.["application/json"]?.schema;
      expect(schema).toBeDefined();
      const names = propertyNames(document, schema, "users.get 200").map((n) => n.name);
      expect(names).toContain("name");
      expect(names.filter((name) => /e-?mail|phone/i.test(name))).toEqual([]);
    });
  });

  describe("no BOLA between users", () => {
    const meOf = (user: SignedUpUser) => t.call(users.me, { token: user.accessToken });

    it("A reading B's public profile gets no email or phone", async () => {
      const patched = await t.call(users.updateMe, {
        token: userB.accessToken,
        body: { phone: "+33612345678", bio: "B's bio" },
      });
      expectStatus(patched, 200);

      for (const token of [userA.accessToken, undefined]) {
        const profile = await t.call(users.getUser, { params: { id: userB.id }, token });
        expectStatus(profile, 200);
        const { text, body } = profile;
        expect(body).toMatchObject({ id: userB.id, name: userB.name, bio: "B's bio" });
        expect(body).not.toHaveProperty("email");
        expect(body).not.toHaveProperty("phone");
        expect(text).not.toContain(userB.email);
        expect(text).not.toContain("+33612345678");
        expect(text).not.toMatch(/pbkdf2|password/i);
      }
    });

    it("PATCH /v1/users/me with A's token changes A only", async () => {
      const before = (await meOf(userB)).body;
      expect(before).toMatchObject({ id: userB.id, email: userB.email });

      const changed = await t.call(users.updateMe, {
        token: userA.accessToken,
        body: { name: "A renamed", phone: "+4915112345678" },
      });
      expectStatus(changed, 200);
      expect(changed.body).toMatchObject({
        id: userA.id,
        email: userA.email,
        name: "A renamed",
        phone: "+4915112345678",
      });
      expect((await meOf(userB)).body).toEqual(before);
    });

    it("A cannot aim PATCH /v1/users/me at B (or change an email, role or status) through the body", async () => {
      const before = (await meOf(userB)).body;
      for (const invalidBody of [
        { id: userB.id, name: "hijacked" },
        { userId: userB.id, name: "hijacked" },
        { email: "hijacked@example.com" },
        { role: "admin" },
        { isAdmin: true },
        { status: "active" },
      ]) {
        const refused = await t.call(users.updateMe, { token: userA.accessToken, invalidBody });
        await expectProblem(refused, 400, "VALIDATION_FAILED", JSON.stringify(invalidBody));
      }
      expect((await meOf(userA)).body).toMatchObject({ id: userA.id, email: userA.email, role: "guest" });
      expect((await meOf(userB)).body).toEqual(before);
    });

    it("A's token on /v1/users/me is A's account, B's is B's", async () => {
      for (const user of [userA, userB]) {
        expect((await meOf(user)).body).toMatchObject({ id: user.id, email: user.email });
      }
    });

    it("A cannot act on B through the admin routes (403), and B is untouched", async () => {
      const refused = await t.call(adminRoutes.suspendUser, {
        token: userA.accessToken,
        params: { id: userB.id },
      });
      await expectProblem(refused, 403, "FORBIDDEN", "suspend B as A");
      const meB = await meOf(userB);
      expectStatus(meB, 200);
      expect(meB.body).toMatchObject({ status: "active" });
    });
  });
});
