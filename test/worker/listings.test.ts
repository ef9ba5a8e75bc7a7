import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listingCacheKey } from "../../src/domain/listings/listing-rules.ts";
import { listingBody } from "../support/listing-factory.ts";
import { call, hasDatabase, jsonOf } from "./worker-client.ts";

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
