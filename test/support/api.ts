import type { RouteConfig, z } from "@hono/zod-openapi";
import { expect } from "vitest";
import { type DocumentedRoute, documentedRoutes, mediaTypeOf } from "./response-check.ts";
import type { TestApp } from "./test-app.ts";

/**
 * A typed client over the app's own route configs (`src/routes/*\/*.routes.ts`):
 * `t.call(routes.createListing, { token, body })` sends the request the route describes, through
 * `t.request` (so the answer is checked against the route's documentation), and returns the
 * answer with `body` typed by the route's declared responses: a union by status, which
 * `expectStatus(answer, 201)` narrows.
 */

type NumericStatus<S> = S extends number ? S : S extends `${infer N extends number}` ? N : number;
type BodyOfContent<C> = {
  [M in keyof C]: C[M] extends { schema: infer S } ? (S extends z.ZodType ? z.output<S> : unknown) : unknown;
}[keyof C];
type BodyOf<Response> = Response extends { content: infer C } ? BodyOfContent<C> : undefined;

export type ApiAnswer<R extends RouteConfig> = {
  [S in keyof R["responses"]]: {
    status: NumericStatus<S>;
    headers: Headers;
    /** The parsed JSON body (already checked against the route's schema for this status). */
    body: BodyOf<R["responses"][S]>;
    text: string;
    /** `POST /v1/listings`, for assertion messages. */
    request: string;
  };
}[keyof R["responses"]];

type ParamsOf<R> = R extends { request: { params: infer P extends z.ZodType } } ? z.input<P> : never;
type JsonBodyOf<R> = R extends {
  request: { body: { content: { "application/json": { schema: infer S extends z.ZodType } } } };
}
  ? z.input<S>
  : never;

export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent as `X-Forwarded-For`, which the test app trusts (rate limits are per client address). */
  ip?: string;
  headers?: Record<string, string>;
  /** Loosely typed on purpose: tests send malformed queries. A string is sent as it is. */
  query?: string | Record<string, string | number | boolean | undefined>;
  /** A JSON body the route's schema should refuse (typed `unknown` on purpose). */
  invalidBody?: unknown;
  /** Bytes sent as they are, `Content-Type: application/json` unless `headers` say otherwise. */
  rawBody?: string;
}

export type CallInput<R extends RouteConfig> = CallOptions & {
  params?: [ParamsOf<R>] extends [never] ? Record<string, string> : ParamsOf<R>;
} & ([JsonBodyOf<R>] extends [never] ? { body?: undefined } : { body?: JsonBodyOf<R> });

/** The route as mounted in the app (full path), found by its operationId. */
function mounted(t: Pick<TestApp, "app">, route: RouteConfig): DocumentedRoute {
  const found = documentedRoutes(t.app).find(
    (r) => r.config.operationId === route.operationId && r.method === route.method.toUpperCase(),
  );
  if (!found) throw new Error(`${route.operationId ?? route.path} is not mounted in the app`);
  return found;
}

function urlOf(path: string, params: Record<string, unknown> = {}, query: CallOptions["query"]): string {
  const filled = path.replaceAll(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: no value for the path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  if (query === undefined) return filled;
  const search =
    typeof query === "string"
      ? query.replace(/^\?/, "")
      : new URLSearchParams(
          Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
        ).toString();
  return search ? `${filled}?${search}` : filled;
}

function bodyOf(input: CallInput<RouteConfig>): string | undefined {
  if (input.rawBody !== undefined) return input.rawBody;
  if (input.body !== undefined) return JSON.stringify(input.body);
  if (input.invalidBody !== undefined) return JSON.stringify(input.invalidBody);
  return undefined;
}

export async function callRoute<R extends RouteConfig>(
  t: Pick<TestApp, "app" | "request">,
  route: R,
  input: CallInput<R> = {},
): Promise<ApiAnswer<R>> {
  const { method, path } = mounted(t, route);
  const url = urlOf(path, input.params as Record<string, unknown> | undefined, input.query);
  const body = bodyOf(input as CallInput<RouteConfig>);
  const headers: Record<string, string> = {
    ...(body === undefined ? {} : { "content-type": "application/json" }),
    ...(input.token === undefined ? {} : { authorization: `Bearer ${input.token}` }),
    ...(input.ip === undefined ? {} : { "x-forwarded-for": input.ip }),
    ...input.headers,
  };
  const response = await t.request(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  const type = mediaTypeOf(response.headers.get("content-type"));
  const json = text !== "" && type !== null && /^application\/(?:[\w.+-]+\+)?json$/.test(type);
  return {
    status: response.status,
    headers: response.headers,
    body: json ? JSON.parse(text) : undefined,
    text,
    request: `${method} ${url}`,
  } as ApiAnswer<R>;
}

/**
 * Fails with the request and the body unless the answer has `status`, and narrows `answer.body`
 * to that status's declared type.
 */
export function expectStatus<
  A extends { status: number; text: string; request: string },
  S extends A["status"],
>(answer: A, status: S, context?: string): asserts answer is Extract<A, { status: S }> {
  const where = context ? `${context}: ` : "";
  expect(answer.status, `${where}${answer.request} → ${answer.status}: ${answer.text}`).toBe(status);
}
