/**
 * The Queues consumer in workerd delivers jobs as the other engines do (deliverJob): a failure is
 * retried with the app's back-off (`message.retry({ delaySeconds })`), the last attempt records
 * the job dead and acknowledges it, a job that completed before is not run again, and what the
 * dead-letter queue receives is recorded dead.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { neonPort } from "../../src/db/neon.ts";
import { jobCompletions, jobFailures } from "../../src/db/schema/index.ts";
import type { Job } from "../../src/ports.ts";
import worker from "../../src/worker.ts";
import { UNREACHABLE_DATABASE_URL } from "./fixtures.ts";

const hasDatabase = env.DATABASE_URL !== UNREACHABLE_DATABASE_URL;
const port = neonPort(env.DATABASE_URL, env.NEON_LOCAL_PROXY);

/**
 * Runs the Worker's `queue()` on one message of `queue`; answers what it did with it, and the delay
 * of its retry (the plugin's result leaves delays out, so the message's `retry` is watched).
 */
async function deliver(queue: string, body: Job, attempts: number) {
  return deliverBatch(queue, [{ body, attempts }]);
}

/** The same for a batch of several messages, `msg-0`, `msg-1`… in order. */
async function deliverBatch(queue: string, bodies: Array<{ body: Job; attempts: number }>) {
  const batch = createMessageBatch(
    queue,
    bodies.map(({ body, attempts }, i) => ({ id: `msg-${i}`, timestamp: Date.now(), attempts, body })),
  );
  const delays: Array<number | undefined> = [];
  const watched = {
    queue: batch.queue,
    messages: batch.messages.map((message) => ({
      id: message.id,
      timestamp: message.timestamp,
      body: message.body,
      attempts: message.attempts,
      ack: () => message.ack(),
      retry: (options?: { delaySeconds?: number }) => {
        delays.push(options?.delaySeconds);
        message.retry(options);
      },
    })),
    ackAll: () => batch.ackAll(),
    retryAll: (options?: { delaySeconds?: number }) => batch.retryAll(options),
  } as unknown as typeof batch; // what the handler uses of a batch (the type has more)
  const ctx = createExecutionContext();
  await worker.queue(watched, env);
  return { ...(await getQueueResult(batch, ctx)), delays };
}

async function failureOf(jobId: string) {
  const handle = port.connect();
  try {
    const [row] = await handle.db.select().from(jobFailures).where(eq(jobFailures.jobId, jobId));
    return row;
  } finally {
    await handle.release?.();
  }
}

// No handler knows this topic: every attempt fails.
const failing = (id: string): Job => ({ id, topic: "test.no-such-topic", payload: { n: 1 } });

describe.skipIf(!hasDatabase)("the Queues consumer (needs DATABASE_URL)", () => {
  it("retries a failing job after the back-off, then records it dead at the last attempt and acks it", async () => {
    const id = crypto.randomUUID();
    const first = await deliver("stayedge-jobs", failing(id), 1);
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toHaveLength(1);
    // 30 s · 2^0, plus up to as much again of jitter.
    expect(first.delays).toEqual([expect.any(Number)]);
    expect(first.delays[0]).toBeGreaterThanOrEqual(30);
    expect(first.delays[0]).toBeLessThanOrEqual(60);
    expect(await failureOf(id)).toMatchObject({
      status: "retrying",
      attempts: 1,
      lastError: "Error: no handler for job topic test.no-such-topic",
    });

    const fifth = await deliver("stayedge-jobs", failing(id), 5);
    expect(fifth.delays[0]).toBeGreaterThanOrEqual(480);
    expect(fifth.delays[0]).toBeLessThanOrEqual(960);
    const last = await deliver("stayedge-jobs", failing(id), 6);
    expect(last.retryMessages).toEqual([]);
    expect(last.delays).toEqual([]);
    expect(last.explicitAcks).toHaveLength(1);
    expect(await failureOf(id)).toMatchObject({ status: "dead", attempts: 6 });
  });

  it("settles each message of a batch on its own: the failing one retried, the other acked and recorded", async () => {
    const [failingId, mailId] = [crypto.randomUUID(), crypto.randomUUID()];
    const mail: Job = {
      id: mailId,
      topic: "mail.send",
      payload: { to: "carol@example.com", subject: "Hello", text: "Hi" },
    };
    const result = await deliverBatch("stayedge-jobs", [
      { body: failing(failingId), attempts: 1 },
      { body: mail, attempts: 1 },
    ]);
    expect(result.retryBatch.retry).toBe(false);
    expect(result.retryMessages).toEqual([{ msgId: "msg-0" }]);
    expect(result.explicitAcks).toEqual(["msg-1"]);
    expect(await failureOf(failingId)).toMatchObject({ status: "retrying", attempts: 1 });
    expect(await failureOf(mailId)).toBeUndefined();
    const handle = port.connect();
    try {
      const done = await handle.db.select().from(jobCompletions).where(eq(jobCompletions.jobId, mailId));
      expect(done).toHaveLength(1);
    } finally {
      await handle.release?.();
    }
  });

  it("acks, without running it, a job that completed before", async () => {
    const id = crypto.randomUUID();
    const handle = port.connect();
    try {
      await handle.db
        .insert(jobCompletions)
        .values({ jobId: id, topic: "test.no-such-topic", completedAt: new Date() });
    } finally {
      await handle.release?.();
    }
    const again = await deliver("stayedge-jobs", failing(id), 1);
    expect(again.explicitAcks).toHaveLength(1);
    expect(await failureOf(id)).toBeUndefined();
  });

  it("records as dead what the dead-letter queue receives", async () => {
    const id = crypto.randomUUID();
    const result = await deliver("stayedge-jobs-abandoned", failing(id), 1);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await failureOf(id)).toMatchObject({
      status: "dead",
      attempts: 6,
      lastError: "Abandoned: every delivery failed without an answer from the consumer",
    });
  });
});
