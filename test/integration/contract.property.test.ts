/**
 * Property-based contract tests over the operations' own JSON Schemas in `openapi.json`: for every
 * operation with a JSON body or query parameters, inputs generated from its schemas are accepted
 * or refused with a documented 4xx, never a 5xx; an input broken in one field is a 400 naming that
 * field. Every answer goes through `t.request`, which fails on an undocumented status, body or key.
 *
 * A fixed seed and a few runs per operation keep `npm test` fast; `npm run fuzz -- --seconds N`
 * runs the same properties for N seconds (STAYEDGE_FUZZ_SECONDS, STAYEDGE_FUZZ_SEED).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import * as paymentRoutes from "../../src/routes/payments/payments.routes.ts";
import { authHeader, randomIp, type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { createListing } from "../support/listing-factory.ts";
import {
  type JsonSchema,
  nearExample,
  type Options,
  schemaArbitraries,
  UNKNOWN_KEY,
  withField,
} from "../support/schema-arbitraries.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  schema: JsonSchema;
  example?: unknown;
}
interface Operation {
  operationId: string;
  tags: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema; example?: unknown }> };
}
interface Case {
  id: string;
  method: string;
  path: string;
  op: Operation;
  body?: JsonSchema;
  bodyExample?: unknown;
  query?: JsonSchema;
}

const document = JSON.parse(readFileSync(new URL("../../openapi.json", import.meta.url), "utf8")) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
};
const arbitraries = schemaArbitraries(document);

const ADMIN_EMAIL = "contract-admin@example.com";
const FUZZ_SECONDS = Number(process.env.STAYEDGE_FUZZ_SECONDS ?? 0);
const SEED = Number(process.env.STAYEDGE_FUZZ_SEED ?? 16_2026);
const RUNS = 8;

/**
 * Left out of the walk, and why:
 * - none yet of the operations with a body or a query: each is cheap, and random inputs either
 *   reach a real resource (see `fixtureFor`) or a documented 404. Some can only be refused
 *   (`auth.refresh`, `auth.resetPassword` with a token nobody issued, `webhooks.stripe` unsigned,
 *   `users.changePassword` without the password): they stay, as they must still never be a 5xx.
 * Operations with neither (health, `GET …/{id}`, logout, suspend…) have nothing to generate.
 */
const SKIPPED = new Set<string>();

function queryOf(parameters: Parameter[]): JsonSchema | undefined {
  const query = parameters.filter((p) => p.in === "query");
  if (query.length === 0) return undefined;
  return {
    type: "object",
    properties: Object.fromEntries(
      query.map((p) => [p.name, p.example === undefined ? p.schema : { ...p.schema, example: p.example }]),
    ),
    required: query.filter((p) => p.required).map((p) => p.name),
  };
}

const cases: Case[] = Object.entries(document.paths)
  .flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => {
      const media = op.requestBody?.content["application/json"];
      const query = queryOf(op.parameters ?? []);
      return {
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        op,
        ...(media ? { body: media.schema, bodyExample: media.example } : {}),
        ...(query ? { query } : {}),
      };
    }),
  )
  .filter((c) => (c.body || c.query) && !SKIPPED.has(c.id));

let t: TestApp;
let admin: SignedUpUser;
/** A published listing of another host, for the stays that guests quote and book. */
let catalogue: { id: string };
/**
 * Another, for the bookings the booking operations act on: out of reach of the random
 * `bookings.create` runs, which would otherwise take their dates first.
 */
let stays: { id: string };

beforeAll(async () => {
  t = await createTestApp({ env: { ADMIN_EMAIL } });
  admin = await signUp(t, { email: ADMIN_EMAIL });
  const host = await signUp(t);
  catalogue = await createListing(t, host.accessToken, { status: "published", minNights: 1 });
  stays = await createListing(t, host.accessToken, { status: "published", minNights: 1 });
});
afterAll(() => t.close());

/** Who sends an operation's requests, and the real resources its path and fields may name. */
interface Fixture {
  token?: string;
  /** The path's `{id}`: a real resource of the sender's, or a random UUID (a documented 404). */
  id: fc.Arbitrary<string>;
  overrides: Options["overrides"];
}

const isoDay = (daysAhead: number) =>
  new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);
const fixtures = new Map<string, Promise<Fixture>>();
let bookingDay = 60;

/** A fresh user per operation (the admin for the Admin tag), with what the operation acts on. */
function fixtureFor(c: Case): Promise<Fixture> {
  const cached = fixtures.get(c.id);
  if (cached) return cached;
  const made = (async (): Promise<Fixture> => {
    const bearer = c.op.security?.some((requirement) => "bearerAuth" in requirement) ?? false;
    const user = c.op.tags.includes("Admin") ? admin : await signUp(t);
    const uuid = fc.uuid({ version: [4, 7] });
    const realOr = (id: string) =>
      fc.oneof({ arbitrary: fc.constant(id), weight: 3 }, { arbitrary: uuid, weight: 1 });
    const listingIds = realOr(catalogue.id);
    const overrides = {
      listingId: listingIds,
      // Only a cursor the API handed out is valid, and those are not generated: mostly none.
      cursor: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, fc.string({ maxLength: 512 })),
    };
    let id: fc.Arbitrary<string> = uuid;
    if (c.path.startsWith("/v1/listings/{id}")) {
      id = realOr((await createListing(t, user.accessToken, { status: "published" })).id);
    } else if (c.path.startsWith("/v1/bookings/{id}")) {
      const checkIn = isoDay(bookingDay);
      bookingDay += 4;
      const booked = await t.call(bookingRoutes.createBooking, {
        token: user.accessToken,
        body: { listingId: stays.id, checkIn, checkOut: isoDay(bookingDay - 2), guests: 1 },
      });
      if (booked.status !== 201) throw new Error(`${c.id}: booking ${booked.status} ${booked.text}`);
      id = realOr(booked.body.id);
    } else if (c.path.startsWith("/v1/users/{id}")) {
      id = realOr(user.id);
    }
    return { ...(bearer ? { token: user.accessToken } : {}), id, overrides };
  })();
  fixtures.set(c.id, made);
  return made;
}

function queryString(value: unknown): string {
  const entries = Object.entries((value ?? {}) as Record<string, unknown>).flatMap(([k, v]) =>
    v === undefined || v === null ? [] : [[k, String(v)]],
  );
  return new URLSearchParams(entries).toString();
}

async function send(c: Case, fixture: Fixture, input: { id: string; body?: unknown; query?: unknown }) {
  const headers: Record<string, string> = { "x-forwarded-for": randomIp() };
  if (fixture.token) Object.assign(headers, authHeader(fixture.token));
  if (c.op.parameters?.some((p) => p.in === "header" && p.name === "idempotency-key")) {
    headers["idempotency-key"] = crypto.randomUUID();
  }
  if (c.body) headers["content-type"] = "application/json";
  const search = c.query ? queryString(input.query) : "";
  const path = `${c.path.replaceAll(/\{[^}]+\}/g, encodeURIComponent(input.id))}${search ? `?${search}` : ""}`;
  const response = await t.request(path, {
    method: c.method,
    headers,
    ...(c.body ? { body: JSON.stringify(input.body) } : {}),
  });
  return { request: `${c.method} ${path} ${c.body ? JSON.stringify(input.body) : ""}`, response };
}

/** Fixed seed and few runs in `npm test`; a time budget per property under `npm run fuzz`. */
function budget(properties: number): { parameters: fc.Parameters<unknown>; timeout: number } {
  if (FUZZ_SECONDS <= 0) return { parameters: { seed: SEED, numRuns: RUNS }, timeout: 20_000 };
  const share = Math.max(250, (FUZZ_SECONDS * 1000) / properties);
  return {
    parameters: { seed: SEED, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: share },
    // Room for shrinking a counterexample after the budget.
    timeout: share + 60_000,
  };
}

/** The app's log lines for a 5xx answer's request (the problem document shows nothing internal). */
function logsOf(response: Response): string {
  if (response.status < 500) return "";
  const id = response.headers.get("x-request-id");
  const lines = t.logger.lines.filter((line) => line.level === "error" && (!id || line.requestId === id));
  return `\nlogged: ${JSON.stringify(lines.slice(-3))}`;
}

interface Problem {
  code: string;
  errors?: Array<{ location: string; message: string }>;
}

/** Generated from the schema, or the documented example with a few fields generated. */
function validBody(c: Case, fixture: Fixture): fc.Arbitrary<unknown> {
  if (!c.body) throw new Error(`${c.id} has no body`);
  const generated = arbitraries.valid(c.body, { overrides: fixture.overrides });
  if (c.bodyExample === undefined) return generated;
  return fc.oneof(generated, nearExample(c.bodyExample, generated, Object.keys(fixture.overrides ?? {})));
}

const validQuery = (query: JsonSchema, fixture: Fixture) =>
  arbitraries.valid(query, { overrides: fixture.overrides, sparse: true });

const { parameters, timeout } = budget(2 * cases.length);
/** Statuses answered to valid inputs, by operation. */
const answered = new Map<string, Set<number>>();

describe("generated valid inputs", () => {
  for (const c of cases) {
    it(
      `${c.id} answers a documented status below 500 with a documented body`,
      async () => {
        const fixture = await fixtureFor(c);
        const input = fc.record({
          id: fixture.id,
          body: c.body ? validBody(c, fixture) : fc.constant(undefined),
          query: c.query ? validQuery(c.query, fixture) : fc.constant(undefined),
        });
        const statuses = answered.get(c.id) ?? new Set<number>();
        answered.set(c.id, statuses);
        await fc.assert(
          fc.asyncProperty(input, async (generated) => {
            const { request, response } = await send(c, fixture, generated);
            const text = await response.text();
            statuses.add(response.status);
            if (process.env.STAYEDGE_CONTRACT_DEBUG) console.log(c.id, response.status, text.slice(0, 300));
            expect(response.status, `${request}\n→ ${text}${logsOf(response)}`).toBeLessThan(500);
          }),
          parameters,
        );
      },
      timeout,
    );
  }
});

describe("inputs broken in one field", () => {
  it.each(cases.map((c) => [c.id, c] as const))(
    "%s answers 400 VALIDATION_FAILED naming the broken field",
    async (_id, c) => {
      const fixture = await fixtureFor(c);
      const where = c.body ? "body" : "query";
      const schema = c.body ?? c.query;
      if (!schema) throw new Error(`${c.id} has neither body nor query`);
      const breakage = fc.record({
        id: fixture.id,
        broken: arbitraries.broken(schema, {
          overrides: fixture.overrides,
          ...(c.body ? { base: validBody(c, fixture) } : { sparse: true, textOnly: true }),
        }),
        // The other part stays valid, so only the broken field is wrong.
        other: c.body && c.query ? validQuery(c.query, fixture) : fc.constant(undefined),
      });
      await fc.assert(
        fc.asyncProperty(breakage, async ({ id, broken, other }) => {
          const input =
            where === "body" ? { id, body: broken.value, query: other } : { id, query: broken.value };
          const { request, response } = await send(c, fixture, input);
          const text = await response.text();
          const context = `${broken.how} at ${where}.${broken.path.join(".")}\n${request}\n→ ${text}`;
          expect(response.status, context).toBe(400);
          const problem = JSON.parse(text) as Problem;
          expect(problem.code, context).toBe("VALIDATION_FAILED");
          const location = [where, ...broken.path].join(".");
          const named = problem.errors?.some(
            (e) =>
              e.location === location ||
              // Known gap (see "names an unknown key…" below): the object's location, the key in the message.
              (broken.how === "an unknown key" &&
                e.location === [where, ...broken.path.slice(0, -1)].join(".") &&
                e.message.includes(`"${UNKNOWN_KEY}"`)),
          );
          expect(named, context).toBe(true);
        }),
        parameters,
      );
    },
    timeout,
  );
});

describe("unknown keys", () => {
  /** Paths (in the documented example) of the objects that forbid other keys. */
  function strictObjects(schema: JsonSchema, example: unknown, at: string[] = []): string[][] {
    const s = arbitraries.resolve(schema);
    if (example === null || typeof example !== "object" || Array.isArray(example)) return [];
    const own = s.additionalProperties === false ? [at] : [];
    const inner = Object.entries(s.properties ?? {}).flatMap(([key, child]) =>
      strictObjects(child, (example as Record<string, unknown>)[key], [...at, key]),
    );
    return [...own, ...inner];
  }

  // Fails today: zod reports an unrecognized key on the object that holds it, so the problem says
  // `location: "body"` (message `Unrecognized key: "unexpectedField"`), not the field. The fix is in
  // `fieldErrors` (src/http/router.ts): one error per key of an `unrecognized_keys` issue, at
  // `[...issue.path, key]`.
  it("names an unknown key as body.<path>.<key> in every object that forbids other keys", async () => {
    const misnamed: string[] = [];
    let tried = 0;
    for (const c of cases.filter((op) => op.body && op.bodyExample !== undefined)) {
      if (!c.body) continue;
      const fixture = await fixtureFor(c);
      const [id = crypto.randomUUID()] = fc.sample(fixture.id, { seed: SEED, numRuns: 1 });
      for (const at of strictObjects(c.body, c.bodyExample)) {
        const path = [...at, UNKNOWN_KEY];
        const body = withField(c.bodyExample, path, "surprise");
        const { request, response } = await send(c, fixture, { id, body });
        const text = await response.text();
        const locations =
          response.status === 400 ? (JSON.parse(text) as Problem).errors?.map((e) => e.location) : [];
        if (!locations?.includes(["body", ...path].join(".")))
          misnamed.push(`${request}\n→ ${response.status} ${text}`);
        tried++;
      }
    }
    expect(tried).toBeGreaterThanOrEqual(14);
    expect(misnamed, misnamed.join("\n\n")).toEqual([]);
  });
});

describe("found by the walk", () => {
  // Was a 500: the simulation confirmed an intent that had already succeeded. Now 409 INVALID_STATE.
  it("answers a documented 4xx when a paid booking's payment is simulated again", async () => {
    const guest = await signUp(t);
    const checkIn = isoDay(bookingDay);
    bookingDay += 4;
    const booked = await t.call(bookingRoutes.createBooking, {
      token: guest.accessToken,
      body: { listingId: stays.id, checkIn, checkOut: isoDay(bookingDay - 2), guests: 1 },
    });
    if (booked.status !== 201) throw new Error(`booking: ${booked.status} ${booked.text}`);
    const pay = () =>
      t.call(paymentRoutes.simulatePayment, {
        token: guest.accessToken,
        params: { id: booked.body.id },
        body: { outcome: "succeed" },
      });
    const first = await pay();
    expect(first.status, first.text).toBe(200);
    const again = await pay();
    expect(again.status, again.text).toBeLessThan(500);
  });
});

describe("the walk", () => {
  it("covers the operations with a body or a query, and some inputs are accepted", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    const accepted = [...answered].filter(([, statuses]) => [...statuses].some((s) => s < 300));
    const seen = JSON.stringify(Object.fromEntries([...answered].map(([id, s]) => [id, [...s]])));
    if (process.env.STAYEDGE_CONTRACT_DEBUG) console.log(seen);
    expect(
      accepted.map(([id]) => id),
      seen,
    ).toEqual(
      expect.arrayContaining([
        "auth.register",
        "listings.search",
        "listings.create",
        "bookings.create",
        "bookings.listMine",
        "calendar.get",
        "users.updateMe",
      ]),
    );
  });
});
