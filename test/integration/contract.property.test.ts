/**
 * Property-based contract tests over the operations' own JSON Schemas in `openapi.json`, walking
 * every operation: valid inputs (generated from its body and query schemas, with real or random
 * ids in its path) are accepted or refused with a documented 4xx, never a 5xx; an input broken in
 * one body or query field is a 400 naming that field; a path id that is not a UUID is a 400 naming
 * `path.<name>`. Every answer goes through `t.request`, which fails on an undocumented status, body
 * or key.
 *
 * The ids are real where that matters: the sender's own listings and bookings, users, and for the
 * review operations completed stays (written straight into `bookings`, as reviews.test.ts does)
 * with reviews written through the API, pending or published, sent by whoever may act on them.
 *
 * A fixed seed and a few runs per operation keep `npm test` fast; `npm run fuzz -- --seconds N`
 * runs the same properties for N seconds (STAYEDGE_FUZZ_SECONDS, STAYEDGE_FUZZ_SEED).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../../src/db/database.ts";
import { bookings } from "../../src/db/schema/index.ts";
import { addDays, localDate } from "../../src/domain/bookings/local-time.ts";
import * as bookingRoutes from "../../src/routes/bookings/bookings.routes.ts";
import * as paymentRoutes from "../../src/routes/payments/payments.routes.ts";
import * as reviewRoutes from "../../src/routes/reviews/reviews.routes.ts";
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
  /** The path parameter that is a UUID (`{id}`), if any. */
  pathId?: string;
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
 * Left out of the walk, and why: none. Every operation is cheap, and random inputs either reach a
 * real resource (see `fixtureFor`) or a documented 404. Some can only be refused (`auth.refresh`,
 * `auth.resetPassword` with a token nobody issued, `webhooks.stripe` unsigned,
 * `users.changePassword` without the password): they stay, as they must still never be a 5xx.
 * Operations with nothing to generate (health, logout, `users.me`…) are sent as they are, those
 * with only an `{id}` in their path with real and random ids; which parts each is broken in
 * follows from what it has (body or query fields, a UUID in its path).
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
      const pathId = op.parameters?.find(
        (p) => p.in === "path" && arbitraries.resolve(p.schema).format === "uuid",
      );
      return {
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        op,
        ...(media ? { body: media.schema, bodyExample: media.example } : {}),
        ...(query ? { query } : {}),
        ...(pathId ? { pathId: pathId.name } : {}),
      };
    }),
  )
  .filter((c) => !SKIPPED.has(c.id));
const operationCount = Object.values(document.paths).flatMap((item) => Object.keys(item)).length;

let t: TestApp;
let admin: SignedUpUser;
/** A published listing of another host, for the stays that guests quote and book. */
let catalogue: { id: string };
/**
 * Another, for the bookings the booking operations act on: out of reach of the random
 * `bookings.create` runs, which would otherwise take their dates first.
 */
let stays: { id: string };
/** A listing of `reviewHost`'s whose stays have ended: the review operations act on those stays. */
let reviewed: { id: string; hostId: string; timezone: string };
let reviewHost: SignedUpUser;
/** What a stay at `reviewed` costs, as the API quotes it: the quote of every past stay there. */
let pastQuote: (typeof bookings.$inferInsert)["quote"];

beforeAll(async () => {
  t = await createTestApp({ env: { ADMIN_EMAIL } });
  admin = await signUp(t, { email: ADMIN_EMAIL });
  const host = await signUp(t);
  catalogue = await createListing(t, host.accessToken, { status: "published", minNights: 1 });
  stays = await createListing(t, host.accessToken, { status: "published", minNights: 1 });
  reviewHost = await signUp(t);
  const { body } = await createListing(t, reviewHost.accessToken, { status: "published", minNights: 1 });
  reviewed = body;
  const quoted = await t.call(bookingRoutes.quoteBooking, {
    body: { listingId: reviewed.id, checkIn: isoDay(30), checkOut: isoDay(32), guests: 1 },
  });
  if (quoted.status !== 200) throw new Error(`quote: ${quoted.status} ${quoted.text}`);
  pastQuote = quoted.body;
});
afterAll(() => t.close());

/** Who sends an operation's requests, and the real resources its path and fields may name. */
interface Fixture {
  token?: string;
  /** The path's `{id}`: a real resource the sender may act on, or a random UUID (a documented 404). */
  id: fc.Arbitrary<string>;
  overrides: Options["overrides"];
}

const isoDay = (daysAhead: number) =>
  new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);
const fixtures = new Map<string, Promise<Fixture>>();
let bookingDay = 60;
/** How many days before `reviewed`'s today the next past stay checks out (two nights each). */
let checkedOutDaysAgo = 1;

/**
 * A stay of `guest` at `reviewed` that has ended: `completed`, written straight into `bookings`
 * (as reviews.test.ts does), checked out a day or more before the listing's today, so its check-out
 * time has surely passed and its 14-day review window is open.
 */
async function pastStay(guest: SignedUpUser): Promise<string> {
  const checkOut = addDays(localDate(new Date(), reviewed.timezone), -checkedOutDaysAgo);
  checkedOutDaysAgo += 2;
  const now = new Date();
  const [row] = await withDatabase(t.db.database, (db) =>
    db
      .insert(bookings)
      .values({
        id: crypto.randomUUID(),
        listingId: reviewed.id,
        guestId: guest.id,
        hostId: reviewed.hostId,
        checkIn: addDays(checkOut, -2),
        checkOut,
        guests: 1,
        status: "completed",
        quote: pastQuote,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: bookings.id }),
  );
  if (!row) throw new Error("pastStay: no booking row");
  return row.id;
}

const GUEST_REVIEW = {
  rating: 5,
  comment: "Spotless flat, warm welcome.",
  categories: { cleanliness: 5, accuracy: 4, checkIn: 5, communication: 5, location: 4, value: 3 },
  privateNote: "The shower drain is slow.",
};
const HOST_REVIEW = { rating: 4, comment: "A tidy, quiet guest.", wouldHostAgain: true };

/** A review of a past stay, written through the API by `author` (its guest or host): its id. */
async function writeReview(
  author: SignedUpUser,
  stay: string,
  body: typeof GUEST_REVIEW | typeof HOST_REVIEW,
): Promise<string> {
  const written = await t.call(reviewRoutes.createReview, {
    token: author.accessToken,
    params: { id: stay },
    body,
  });
  if (written.status !== 201) throw new Error(`writeReview: ${written.status} ${written.text}`);
  return written.body.id;
}

/**
 * The guest review of a new past stay of `guest`'s: pending, or published (the host reviewed the
 * guest too, which publishes both).
 */
async function guestReview(guest: SignedUpUser, published: boolean): Promise<string> {
  const stay = await pastStay(guest);
  const id = await writeReview(guest, stay, GUEST_REVIEW);
  if (published) await writeReview(reviewHost, stay, HOST_REVIEW);
  return id;
}

/** One published guest review, for anyone to read and its host to answer. */
let publishedReview: Promise<string> | undefined;
const aPublishedReview = async () => {
  publishedReview ??= signUp(t).then((guest) => guestReview(guest, true));
  return publishedReview;
};

const uuid = fc.uuid({ version: [4, 7] });
/** Mostly one of the real ids, sometimes a random UUID (a documented 404). */
const realOr = (...ids: string[]) =>
  fc.oneof({ arbitrary: fc.constantFrom(...ids), weight: 3 }, { arbitrary: uuid, weight: 1 });

/** Who sends an operation's requests, and the path ids it acts on. */
async function senderAndIds(c: Case): Promise<{ user: SignedUpUser; id: fc.Arbitrary<string> }> {
  switch (c.id) {
    case "reviews.create": {
      // Its own completed stays: the first review of each is a 201, the next ones a 409.
      const guest = await signUp(t);
      const stays = [await pastStay(guest), await pastStay(guest), await pastStay(guest)];
      return { user: guest, id: realOr(...stays) };
    }
    case "reviews.update": {
      // Pending (the host has not reviewed): its author may edit it.
      const guest = await signUp(t);
      return { user: guest, id: realOr(await guestReview(guest, false)) };
    }
    case "reviews.reply":
      return { user: reviewHost, id: realOr(await aPublishedReview()) };
    case "reviews.get":
      return { user: await signUp(t), id: realOr(await aPublishedReview()) };
    case "admin.hideReview":
      // One of its own: hidden, it would no longer be there to read or answer.
      return { user: admin, id: realOr(await guestReview(await signUp(t), true)) };
    case "reviews.listForListing":
      return { user: await signUp(t), id: realOr(reviewed.id) };
    case "reviews.listForUser":
      return { user: await signUp(t), id: realOr(reviewHost.id) };
  }
  const user = c.op.tags.includes("Admin") ? admin : await signUp(t);
  if (c.path.startsWith("/v1/listings/{id}")) {
    return { user, id: realOr((await createListing(t, user.accessToken, { status: "published" })).id) };
  }
  if (c.path.startsWith("/v1/bookings/{id}")) {
    const checkIn = isoDay(bookingDay);
    bookingDay += 4;
    const booked = await t.call(bookingRoutes.createBooking, {
      token: user.accessToken,
      body: { listingId: stays.id, checkIn, checkOut: isoDay(bookingDay - 2), guests: 1 },
    });
    if (booked.status !== 201) throw new Error(`${c.id}: booking ${booked.status} ${booked.text}`);
    return { user, id: realOr(booked.body.id) };
  }
  if (c.path.startsWith("/v1/users/{id}")) return { user, id: realOr(user.id) };
  // Suspended, reinstated or made an admin: someone else than the admin who sends it.
  if (c.path.startsWith("/v1/admin/users/{id}")) return { user, id: realOr((await signUp(t)).id) };
  return { user, id: uuid };
}

/**
 * A fresh user per operation (the admin for the Admin tag, the host for `reviews.reply`), with what
 * the operation acts on.
 */
function fixtureFor(c: Case): Promise<Fixture> {
  const cached = fixtures.get(c.id);
  if (cached) return cached;
  const made = (async (): Promise<Fixture> => {
    const bearer = c.op.security?.some((requirement) => "bearerAuth" in requirement) ?? false;
    const { user, id } = await senderAndIds(c);
    const overrides = {
      listingId: realOr(catalogue.id),
      // Only a cursor the API handed out is valid, and those are not generated: mostly none.
      cursor: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, fc.string({ maxLength: 512 })),
    };
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

/** The operations with fields to break, and those with a UUID in their path. */
const withFields = cases.filter((c) => c.body || c.query);
const withPathId = cases.filter((c) => c.pathId !== undefined);
const { parameters, timeout } = budget(cases.length + withFields.length + withPathId.length);
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
  it.each(withFields.map((c) => [c.id, c] as const))(
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

/** What `format: uuid` accepts: the 8-4-4-4-12 hex form, in either case, of any version. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `uuid` with the character at `at` (0–35) replaced. */
const swapped = (chars: fc.Arbitrary<string>) =>
  fc
    .tuple(uuid, fc.integer({ min: 0, max: 35 }), chars)
    .map(([id, at, char]) => `${id.slice(0, at)}${char}${id.slice(at + 1)}`);

/**
 * Path ids that are not UUIDs, and how. None is empty, `.` or `..` (the URL would name another
 * path) or `me` (`/v1/users/me` is an operation of its own).
 */
const brokenIds: fc.Arbitrary<{ how: string; id: string }> = fc
  .oneof(
    fc
      .constantFrom(" ", "   ", "\t", "\n", "\u0000", "0", "-", "null", "undefined")
      .map((id) => ({ how: "blank or a placeholder", id })),
    fc
      .oneof(
        uuid.map((id) => `${id}0`),
        uuid.map((id) => `${id}${id}`),
        fc.tuple(uuid, fc.string({ minLength: 1, maxLength: 64 })).map(([id, more]) => `${id}${more}`),
        fc.integer({ min: 37, max: 2048 }).map((n) => "a".repeat(n)),
      )
      .map((id) => ({ how: "too long", id })),
    fc
      .oneof(
        uuid.map((id) => id.replaceAll("-", "")),
        uuid.map((id) => `{${id}}`),
        uuid.map((id) => `urn:uuid:${id}`),
        uuid.map((id) => ` ${id}`),
        uuid.map((id) => id.slice(0, -1)),
        swapped(fc.constantFrom("g", "z", "-", "_", ".", "/", "?", "#", "%", "+", " ")),
        fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 40 }),
      )
      .map((id) => ({ how: "of the wrong format", id })),
    fc
      .oneof(
        // Look-alikes of hex digits and letters (full-width, Arabic-Indic, Cyrillic), and others.
        swapped(fc.constantFrom("０", "١", "а", "е", "é", "ß", "😀", "\u00a0", "\u200b")),
        fc
          .string({ unit: "grapheme", minLength: 1, maxLength: 40 })
          .filter((id) => [...id].some((char) => (char.codePointAt(0) ?? 0) > 0x7f)),
      )
      .map((id) => ({ how: "not ASCII", id })),
  )
  .filter(({ id }) => !UUID.test(id) && ![".", "..", "me"].includes(id));

/** The operations that refused every id they were sent that is not a UUID. */
const refusedIds = new Set<string>();

describe("path ids that are not UUIDs", () => {
  it.each(withPathId.map((c) => [c.id, c] as const))(
    "%s answers 400 VALIDATION_FAILED naming the path parameter",
    async (_id, c) => {
      const fixture = await fixtureFor(c);
      // A valid body, and no query (none is required, and it is validated before the path): only
      // the id is wrong.
      const breakage = fc.record({
        broken: brokenIds,
        body: c.body ? validBody(c, fixture) : fc.constant(undefined),
      });
      await fc.assert(
        fc.asyncProperty(breakage, async ({ broken, body }) => {
          const { request, response } = await send(c, fixture, { id: broken.id, body });
          const text = await response.text();
          const context = `an id ${broken.how}: ${JSON.stringify(broken.id)}\n${request}\n→ ${text}`;
          expect(response.status, context).toBe(400);
          const problem = JSON.parse(text) as Problem;
          expect(problem.code, context).toBe("VALIDATION_FAILED");
          const location = `path.${c.pathId}`;
          expect(
            problem.errors?.some((e) => e.location === location),
            context,
          ).toBe(true);
        }),
        parameters,
      );
      refusedIds.add(c.id);
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
  it("covers every operation, and some inputs of each kind are accepted", () => {
    const seen = JSON.stringify(Object.fromEntries([...answered].map(([id, s]) => [id, [...s]])));
    if (process.env.STAYEDGE_CONTRACT_DEBUG) console.log(seen);
    expect(cases.length).toBe(operationCount);
    // Each was sent valid inputs (and answered: `answered` is filled as the answers come).
    expect([...answered.keys()].sort()).toEqual(cases.map((c) => c.id).sort());
    // Every parameter in a path is a UUID, and each operation with one refused ids that are not.
    expect(withPathId.map((c) => c.id)).toEqual(cases.filter((c) => c.path.includes("{")).map((c) => c.id));
    expect(withPathId.length).toBeGreaterThanOrEqual(23);
    expect([...refusedIds].sort()).toEqual(withPathId.map((c) => c.id).sort());
    const accepted = [...answered].filter(([, statuses]) => [...statuses].some((s) => s < 300));
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
        "bookings.get",
        "users.get",
        "reviews.create",
        "reviews.update",
        "reviews.reply",
        "reviews.get",
        "admin.hideReview",
      ]),
    );
  });
});
