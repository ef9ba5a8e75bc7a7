import type { KVNamespace, Queue } from "@cloudflare/workers-types/index.ts";
import type { Cache, Job, Jobs } from "../ports.ts";

// KV refuses expirations shorter than a minute.
const KV_MIN_TTL_SECONDS = 60;

/** Workers KV: eventually consistent across locations (about a minute), so writers also delete. */
export function kvCache(namespace: KVNamespace): Cache {
  return {
    async get<T>(key: string) {
      const value = await namespace.get<T>(key, "json");
      return value ?? undefined;
    },
    async set(key, value, ttlSeconds) {
      await namespace.put(key, JSON.stringify(value), {
        expirationTtl: Math.max(KV_MIN_TTL_SECONDS, Math.ceil(ttlSeconds)),
      });
    },
    async delete(key) {
      await namespace.delete(key);
    },
  };
}

/** Cloudflare Queues producer; `queue()` in worker.ts consumes. */
export function queueJobs(queue: Queue<Job>): Jobs {
  return {
    async enqueue(job) {
      await queue.send(job, { contentType: "json" });
    },
  };
}
