import type { KVNamespace } from "@cloudflare/workers-types/index.ts";
import { describe, expect, it } from "vitest";
import { kvCache } from "../../src/adapters/cloudflare.ts";
import { manualClock } from "../support/test-app.ts";

/** Workers KV as far as the cache uses it: it keeps a key at least 60 s, and refuses less. */
function fakeKv() {
  const stored = new Map<string, string>();
  const puts: Array<{ key: string; expirationTtl: number | undefined }> = [];
  const namespace = {
    async get(key: string, type: string) {
      const text = stored.get(key);
      if (text === undefined) return null;
      return type === "json" ? JSON.parse(text) : text;
    },
    async put(key: string, value: string, options?: { expirationTtl?: number }) {
      if (options?.expirationTtl !== undefined && options.expirationTtl < 60) {
        throw new Error("KV PUT failed: 400 Invalid expiration_ttl of less than 60 seconds");
      }
      puts.push({ key, expirationTtl: options?.expirationTtl });
      stored.set(key, value);
    },
    async delete(key: string) {
      stored.delete(key);
    },
  };
  return { namespace: namespace as unknown as KVNamespace, stored, puts };
}

describe("kvCache", () => {
  it("serves a 15 s value for 15 s, although KV keeps the key a minute", async () => {
    const clock = manualClock();
    const kv = fakeKv();
    const cache = kvCache(kv.namespace, clock);
    await cache.set("search:a", { items: [1] }, 15);
    expect(kv.puts).toEqual([{ key: "search:a", expirationTtl: 60 }]);
    clock.advance(14_999);
    expect(await cache.get("search:a")).toEqual({ items: [1] });
    clock.advance(2);
    expect(kv.stored.has("search:a"), "KV still holds it").toBe(true);
    expect(await cache.get("search:a")).toBeUndefined();
  });

  it("keeps a long TTL as KV's own expiry, and forgets deleted keys", async () => {
    const clock = manualClock();
    const kv = fakeKv();
    const cache = kvCache(kv.namespace, clock);
    await cache.set("listing:1", { title: "Loft" }, 300);
    expect(kv.puts.at(-1)?.expirationTtl).toBe(300);
    clock.advance(299_000);
    expect(await cache.get("listing:1")).toEqual({ title: "Loft" });
    await cache.delete("listing:1");
    expect(await cache.get("listing:1")).toBeUndefined();
  });
});
