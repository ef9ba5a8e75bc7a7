/** Requests to the Worker under test, from inside workerd (the worker project's files only). */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { UNREACHABLE_DATABASE_URL } from "./fixtures.ts";

/** Whether this run gave the Worker a database to reach. */
export const hasDatabase = env.DATABASE_URL !== UNREACHABLE_DATABASE_URL;

const BASE = "https://stayedge.test";

/** A request to the Worker under test, from a random client address (rate limits are per IP). */
export function call(method: string, path: string, token?: string, body?: unknown): Promise<Response> {
  const bytes = crypto.getRandomValues(new Uint8Array(2));
  return exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: {
      "cf-connecting-ip": `203.0.${bytes[0]}.${bytes[1]}`,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The answer's JSON, once its status is `status` (the body is the failure message otherwise). */
export async function jsonOf<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/**
 * Registers a new account through the Worker (POST /v1/auth/register, then /v1/auth/login) and
 * answers its access token; `name` names it and starts its unique e-mail.
 */
export async function signUp(name: string): Promise<string> {
  const email = `${name.toLowerCase()}-${crypto.randomUUID()}@example.com`;
  const password = "correct horse battery staple";
  await jsonOf(await call("POST", "/v1/auth/register", undefined, { email, password, name }), 201);
  const { accessToken } = await jsonOf<{ accessToken: string }>(
    await call("POST", "/v1/auth/login", undefined, { email, password }),
    200,
  );
  return accessToken;
}
