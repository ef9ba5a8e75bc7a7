import type { KVNamespace, Queue } from "@cloudflare/workers-types/index.ts";
import { jobIdOf } from "../domain/jobs/job-id.ts";
import type { Cache, Clock, Job, Jobs, Outbound } from "../ports.ts";

// KV refuses expirations shorter than a minute.
const KV_MIN_TTL_SECONDS = 60;

/**
 * Workers KV: eventually consistent across locations (about a minute), so writers also delete.
 * KV keeps a key at least a minute, so each value carries its own expiry and a read past it is a
 * miss: a 15 s answer stays a 15 s answer.
 */
export function kvCache(namespace: KVNamespace, clock: Clock): Cache {
  return {
    async get<T>(key: string) {
      const entry = await namespace.get<{ value: T; expiresAt: number }>(key, "json");
      if (!entry || entry.expiresAt <= clock.now().getTime()) return undefined;
      return entry.value;
    },
    async set(key, value, ttlSeconds) {
      const expiresAt = clock.now().getTime() + ttlSeconds * 1000;
      await namespace.put(key, JSON.stringify({ value, expiresAt }), {
        expirationTtl: Math.max(KV_MIN_TTL_SECONDS, Math.ceil(ttlSeconds)),
      });
    },
    async delete(key) {
      await namespace.delete(key);
    },
  };
}

/**
 * Cloudflare Queues producer; `queue()` in worker.ts consumes. Every job leaves with an id (the
 * outbox id, else a new one): a redelivery carries it, and the consumer runs a job id once.
 */
export function queueJobs(queue: Queue<Job>): Jobs {
  return {
    async enqueue(job) {
      await queue.send({ ...job, id: await jobIdOf(job.id) }, { contentType: "json" });
    },
  };
}

/**
 * The Workers outbound port: the runtime's fetch, redirects returned to the caller. Names are not
 * resolved here (Workers cannot): Cloudflare's fetch reaches only the public internet, never a
 * private network, loopback or link-local address, so the domain's URL check is the whole guard.
 */
export const workersOutbound: Outbound = {
  fetch: (url, init) => fetch(url, { ...init, redirect: "manual" }),
  resolve: async () => undefined,
};
