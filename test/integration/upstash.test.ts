import { createHash, randomUUID } from "node:crypto";
import type { RateLimit } from "@cloudflare/workers-types/index.ts";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Redis,
  upstashCache,
  upstashFromSettings,
  upstashRateLimiter,
} from "../../src/adapters/upstash.ts";
import { workersRateLimiter } from "../../src/adapters/workers-rate-limit.ts";
import { login } from "../../src/routes/auth/auth.routes.ts";
import { signUp } from "../support/auth-helpers.ts";
import { createTestApp, manualClock } from "../support/test-app.ts";
import { startUpstashLocal, type UpstashLocal } from "../support/upstash-local.ts";

const redisUrl = process.env.REDIS_URL;
// Neither suite touches the database: run them once per test run, in the PGlite project.
const once = process.env.TEST_DB_ENGINE === "pglite";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits past a window boundary if one is near, so a burst of checks lands in a single window. */
async function awayFromBoundary(windowSeconds: number): Promise<void> {
  const size = windowSeconds * 1000;
  const left = size - (Date.now() % size);
  if (left < 2000) await sleep(left + 50);
}

describe.skipIf(!redisUrl || !once)("Upstash adapters over upstash-local (needs REDIS_URL)", () => {
  const prefix = `stayedge-test:${randomUUID()}:`;
  let server: UpstashLocal;
  let redis: Redis;
  const admin = createClient({ url: redisUrl });

  beforeAll(async () => {
    await admin.connect();
    server = await startUpstashLocal({ redisUrl: redisUrl ?? "" });
    redis = upstashFromSettings({ url: server.url, token: server.token });
  });

  afterAll(async () => {
    if (admin.isOpen) {
      for await (const keys of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
        if (keys.length > 0) await admin.del(keys);
      }
      await admin.close();
    }
    await server?.close();
  });

  describe("the app configured with UPSTASH_REDIS_REST_URL/TOKEN", () => {
    it("counts sign-in attempts in Redis, shared by every process, and answers 429 past the limit", async () => {
      const t = await createTestApp({
        env: { UPSTASH_REDIS_REST_URL: server.url, UPSTASH_REDIS_REST_TOKEN: server.token },
      });
      const email = `upstash-${randomUUID()}@example.com`;
      try {
        await signUp(t, { email });
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
          const response = await t.call(login, {
            body: { email, password: "not the password" },
            ip: `192.0.2.${i + 1}`,
          });
          statuses.push(response.status);
          if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        }
        // signUp's sign-in was the first of 5 per minute for this e-mail.
        expect(statuses).toEqual([401, 401, 401, 401, 429]);
        const keys: string[] = [];
        for await (const batch of admin.scanIterator({ MATCH: `rl:*${email}*`, COUNT: 100 }))
          keys.push(...batch);
        expect(keys.length).toBeGreaterThan(0);
      } finally {
        for await (const batch of admin.scanIterator({ MATCH: `rl:*${email}*`, COUNT: 100 })) {
          if (batch.length > 0) await admin.del(batch);
        }
        await t.close();
      }
    });
  });

  describe("upstash-local protocol", () => {
    it("refuses a wrong token", async () => {
      const wrong = upstashFromSettings({ url: server.url, token: "wrong" });
      await expect(wrong.get(`${prefix}x`)).rejects.toThrow(/Unauthorized/);
    });

    it("base64-encodes string results when asked, leaving OK as is", async () => {
      const call = async (command: unknown[]) => {
        const res = await fetch(server.url, {
          method: "POST",
          headers: { authorization: `Bearer ${server.token}`, "upstash-encoding": "base64" },
          body: JSON.stringify(command),
        });
        return { status: res.status, body: await res.json() };
      };
      expect(await call(["SET", `${prefix}raw`, "Zürich 東京", "EX", 60])).toEqual({
        status: 200,
        body: { result: "OK" },
      });
      expect(await call(["GET", `${prefix}raw`])).toEqual({
        status: 200,
        body: { result: Buffer.from("Zürich 東京").toString("base64") },
      });
      const failed = await call(["INCR", `${prefix}raw`]);
      expect(failed.status).toBe(400);
      expect(failed.body.error).toMatch(/not an integer/);
    });

    it("runs pipelines (with per-command errors) and transactions", async () => {
      const key = `${prefix}pipe`;
      const results = await redis
        .pipeline()
        .set(key, "Zürich 東京", { ex: 60 })
        .get(key)
        .incr(key)
        .exec({ keepErrors: true });
      expect(results.map((r) => r.result)).toEqual(["OK", "Zürich 東京", undefined]);
      expect(results[2]?.error).toMatch(/not an integer/);

      const counter = `${prefix}counter`;
      expect(await redis.multi().incr(counter).incr(counter).expire(counter, 60).exec()).toEqual([1, 2, 1]);
    });

    it("runs scripts with the allow-key-locking shebang Redis 7.0 rejects, by SHA too", async () => {
      const script = "#!lua flags=allow-key-locking\nreturn ARGV[1]";
      const sha = createHash("sha1").update(script).digest("hex");
      expect(await redis.eval(script, [], ["first"])).toBe("first");
      expect(await redis.evalsha(sha, [], ["again"])).toBe("again");
      expect(await redis.scriptLoad(script)).toBe(sha);
      await expect(redis.evalsha("0".repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);
    });
  });

  describe("upstashCache", () => {
    it("stores JSON values (non-ASCII text included) and deletes them", async () => {
      const cache = upstashCache(redis);
      const value = { city: "Zürich 東京", beds: 2, tags: ["a"], nested: { ok: true } };
      await cache.set(`${prefix}listing:1`, value, 60);
      expect(await cache.get(`${prefix}listing:1`)).toEqual(value);
      expect(await admin.get(`${prefix}listing:1`)).toBe(JSON.stringify(value));
      await cache.set(`${prefix}string`, "42", 60);
      expect(await cache.get(`${prefix}string`)).toBe("42");
      await cache.delete(`${prefix}listing:1`);
      expect(await cache.get(`${prefix}listing:1`)).toBeUndefined();
      expect(await cache.get(`${prefix}never-set`)).toBeUndefined();
    });

    it("forgets a value when its TTL passes", async () => {
      const cache = upstashCache(redis);
      await cache.set(`${prefix}short`, { n: 1 }, 1);
      expect(await cache.get(`${prefix}short`)).toEqual({ n: 1 });
      await sleep(1200);
      expect(await cache.get(`${prefix}short`)).toBeUndefined();
    });
  });

  describe("upstashRateLimiter", () => {
    it("allows `limit` calls per window per key, then refuses with a future reset time", async () => {
      const limiter = upstashRateLimiter(redis, { keyPrefix: prefix });
      const rule = { limit: 3, windowSeconds: 60 };
      await awayFromBoundary(rule.windowSeconds);
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await limiter.check("ip:1", rule));
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
      expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
      expect(results[3]?.resetAt).toBeGreaterThan(Date.now());
      expect(results[3]?.resetAt).toBeLessThanOrEqual(Date.now() + 60_000);
      expect((await limiter.check("ip:2", rule)).allowed).toBe(true);
      // Another rule is another counter for the same key.
      expect((await limiter.check("ip:1", { limit: 2, windowSeconds: 60 })).allowed).toBe(true);
    });

    it("lets exactly `limit` of 20 concurrent checks from several clients through", async () => {
      const rule = { limit: 5, windowSeconds: 60 };
      await awayFromBoundary(rule.windowSeconds);
      // Four clients, as if four isolates: the Lua script is what keeps them from overshooting.
      const limiters = Array.from({ length: 4 }, () =>
        upstashRateLimiter(upstashFromSettings({ url: server.url, token: server.token }), {
          keyPrefix: prefix,
        }),
      );
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => limiters[i % 4]!.check("burst", rule)),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(5);
    });

    it("allows again once the window has passed", async () => {
      const limiter = upstashRateLimiter(redis, { keyPrefix: prefix });
      const rule = { limit: 1, windowSeconds: 1 };
      expect((await limiter.check("slow", rule)).allowed).toBe(true);
      const refused = await limiter.check("slow", rule);
      expect(refused.allowed).toBe(false);
      // Two windows later the previous window no longer weighs in.
      await sleep(refused.resetAt + 1000 - Date.now() + 50);
      expect((await limiter.check("slow", rule)).allowed).toBe(true);
    });
  });
});

describe.runIf(once)("workersRateLimiter (fake bindings)", () => {
  const fakeBinding = (limit: number) => {
    const counts = new Map<string, number>();
    const binding: RateLimit = {
      async limit({ key }) {
        const n = (counts.get(key) ?? 0) + 1;
        counts.set(key, n);
        return { success: n <= limit };
      },
    };
    return binding;
  };

  it("uses the binding configured for the rule and estimates remaining/reset", async () => {
    const clock = manualClock();
    const limiter = workersRateLimiter(
      [
        { binding: fakeBinding(2), limit: 2, windowSeconds: 60 },
        { binding: fakeBinding(100), limit: 100, windowSeconds: 10 },
      ],
      clock,
    );
    const rule = { limit: 2, windowSeconds: 60 };
    const now = clock.now().getTime();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await limiter.check("ip:1", rule));
    expect(results).toEqual([
      { allowed: true, remaining: 1, resetAt: now + 60_000 },
      { allowed: true, remaining: 1, resetAt: now + 60_000 },
      { allowed: false, remaining: 0, resetAt: now + 60_000 },
    ]);
    expect((await limiter.check("ip:2", rule)).allowed).toBe(true);
    expect(await limiter.check("ip:1", { limit: 100, windowSeconds: 10 })).toEqual({
      allowed: true,
      remaining: 99,
      resetAt: now + 10_000,
    });
  });

  it("throws for a rule without a binding, and for periods Cloudflare does not offer", async () => {
    const limiter = workersRateLimiter([{ binding: fakeBinding(5), limit: 5, windowSeconds: 60 }]);
    await expect(limiter.check("k", { limit: 5, windowSeconds: 10 })).rejects.toThrow(
      "No Workers rate limit binding for the rule 5/10s (configured: 5/60s)",
    );
    expect(() => workersRateLimiter([{ binding: fakeBinding(5), limit: 5, windowSeconds: 30 }])).toThrow(
      /10 or 60 seconds/,
    );
    const twice = { binding: fakeBinding(5), limit: 5, windowSeconds: 60 };
    expect(() => workersRateLimiter([twice, twice])).toThrow(/Two Workers rate limit bindings/);
  });
});
