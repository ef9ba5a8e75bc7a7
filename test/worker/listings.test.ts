import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listingCacheKey } from "../../src/domain/listings/listing-rules.ts";
import { listingBody } from "../support/listing-factory.ts";
import { UNREACHABLE_DATABASE_URL } from "./fixtures.ts";

const BASE = "https://stayedge.test";
const hasDatabase = env.DATABASE_URL !== UNREACHABLE_DATABASE_URL;

function call(method: string, path: string, token?: string, body?: unknown): Promise<Response> {
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

async function jsonOf<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

describe("listings through the real Worker (workerd, KV cache, Neon driver)", () => {
  it.skipIf(!hasDatabase)(
    "an owner who updates a listing never reads the old version afterwards, though public reads are cached in KV (needs DATABASE_URL)",
    async () => {
      const email = `host-${crypto.randomUUID()}@example.com`;
      const password = "correct horse battery staple";
      await jsonOf(
        await call("POST", "/v1/auth/register", undefined, { email, password, name: "Host" }),
        201,
      );
      const { accessToken } = await jsonOf<{ accessToken: string }>(
        await call("POST", "/v1/auth/login", undefined, { email, password }),
        200,
      );
      const created = await jsonOf<{ id: string }>(
        await call("POST", "/v1/listings", accessToken, listingBody()),
        201,
      );

      // Two anonymous reads: the first fills KV, the second is served from it.
      await jsonOf(await call("GET", `/v1/listings/${created.id}`), 200);
      const cached = await jsonOf<{ title: string }>(await call("GET", `/v1/listings/${created.id}`), 200);
      expect(cached.title).toBe("Sunny loft by the canal");
      expect(await env.CACHE.get(listingCacheKey(created.id))).not.toBeNull();

      for (const title of ["Renovated loft", "Renovated again"]) {
        await jsonOf(await call("PATCH", `/v1/listings/${created.id}`, accessToken, { title }), 200);
        expect(
          (await jsonOf<{ title: string }>(await call("GET", `/v1/listings/${created.id}`, accessToken), 200))
            .title,
        ).toBe(title);
        expect(
          (await jsonOf<{ title: string }>(await call("GET", `/v1/listings/${created.id}`), 200)).title,
        ).toBe(title);
      }
    },
  );
});
