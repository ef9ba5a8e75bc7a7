/**
 * An attempt that ends late changes nothing it should not (issue 18: delivery at least once, run
 * once per id). pg-boss takes back an attempt that outran its expiry (or whose claim was lost) and
 * aborts the handler's signal, while another worker may already run the job again; Cloudflare
 * Queues may redeliver a message whose consumer timed out. Whatever the late attempt then does:
 * a failure of it is not recorded over what later attempts recorded, and its completion still is.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobCompletions, jobFailures } from "../../src/db/schema/index.ts";
import { type Delivery, deliverJob } from "../../src/domain/jobs/deliver-job.ts";
import type { DeliveredJob } from "../../src/domain/jobs/job-store.ts";
import type { RetryPolicy } from "../../src/domain/jobs/retry-policy.ts";
import { pgBossJobs } from "../../src/node/pg-boss-jobs.ts";
import { type Job, MailDeliveryError } from "../../src/ports.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { engine } from "../support/test-database.ts";

const policy: RetryPolicy = { maxAttempts: 3, baseDelaySeconds: 1, maxDelaySeconds: 2 };

/** A promise and the hand that settles it. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe(`an attempt that ends late (${engine})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const db = () => t.db.database.connect().db;
  const newJob = (): DeliveredJob => ({ id: crypto.randomUUID(), topic: "test.late", payload: { n: 1 } });
  const attempt = (
    job: DeliveredJob,
    n: number,
    run: (job: Job, signal: AbortSignal | undefined) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<Delivery> => deliverJob({ deps: t.deps, job, attempt: n, policy, run, signal });
  const fail = async () => {
    throw new Error("provider down");
  };
  const succeed = async () => {};
  const failureOf = async (jobId: string) =>
    (await db().select().from(jobFailures).where(eq(jobFailures.jobId, jobId)))[0];

  it("hands the engine's signal to the handler, and records no failure of an attempt taken back", async () => {
    const job = newJob();
    const taken = new AbortController();
    const late = gate();
    let seen: AbortSignal | undefined;
    const first = attempt(
      job,
      1,
      async (_job, signal) => {
        seen = signal;
        await late.opened;
        throw new Error("timed out talking to the provider");
      },
      taken.signal,
    );
    await expect.poll(() => seen).toBe(taken.signal);
    // pg-boss expired the attempt and aborted its signal; another worker ran the job to completion.
    taken.abort(new Error("expired"));
    expect(await attempt(job, 2, succeed)).toEqual({ outcome: "completed" });
    late.open();
    expect((await first).outcome).toBe("overrun");
    expect(await failureOf(job.id)).toBeUndefined();
    expect(t.logger.lines).toContainEqual(expect.objectContaining({ message: "job.overrun", job: job.id }));
  });

  it("does not start an attempt whose signal was aborted before it ran", async () => {
    const job = newJob();
    let ran = false;
    const delivery = await attempt(
      job,
      1,
      async () => {
        ran = true;
      },
      AbortSignal.abort(),
    );
    expect(delivery.outcome).toBe("overrun");
    expect(ran).toBe(false);
    expect(await failureOf(job.id)).toBeUndefined();
  });

  it("records the completion of an attempt that finished after it was taken back", async () => {
    const job = newJob();
    const taken = new AbortController();
    const delivery = await attempt(
      job,
      1,
      async () => {
        taken.abort();
      },
      taken.signal,
    );
    expect(delivery).toEqual({ outcome: "completed" });
    expect(await db().select().from(jobCompletions).where(eq(jobCompletions.jobId, job.id))).toHaveLength(1);
  });

  it("keeps a dead job dead when an earlier attempt fails late (a Queues redelivery)", async () => {
    const job = newJob();
    expect((await attempt(job, 3, fail)).outcome).toBe("dead");
    expect((await attempt(job, 2, fail)).outcome).toBe("retry");
    expect(await failureOf(job.id)).toMatchObject({ status: "dead", attempts: 3 });
  });

  it("keeps a resolved job resolved when an earlier attempt fails late", async () => {
    const job = newJob();
    expect((await attempt(job, 1, fail)).outcome).toBe("retry");
    const stale = gate();
    const second = attempt(job, 2, async () => {
      await stale.opened;
      throw new Error("provider down");
    });
    expect(await attempt(job, 3, succeed)).toEqual({ outcome: "completed" });
    stale.open();
    await second;
    expect(await failureOf(job.id)).toMatchObject({ status: "resolved", attempts: 1 });
  });

  it("waits at least what the provider asked for (Retry-After), never past the longest wait", async () => {
    const busy = (retryAfterSeconds: number) => async () => {
      throw new MailDeliveryError("unavailable", "Resend answered 429 rate_limit_exceeded", {
        retryAfterSeconds,
      });
    };
    const slow = { ...policy, maxDelaySeconds: 60 };
    const deliver = (seconds: number) =>
      deliverJob({ deps: t.deps, job: newJob(), attempt: 1, policy: slow, run: busy(seconds) });
    expect(await deliver(45)).toMatchObject({ outcome: "retry", delaySeconds: 45 });
    expect(await deliver(3600)).toMatchObject({ outcome: "retry", delaySeconds: 60 });
    const own = await deliver(0.5);
    expect(own).toMatchObject({ outcome: "retry" });
    expect((own as { delaySeconds: number }).delaySeconds).toBeGreaterThanOrEqual(1);
  });

  it("records the first failure of a new run after an admin's retry", async () => {
    const job = newJob();
    expect((await attempt(job, 3, fail)).outcome).toBe("dead");
    await db().update(jobFailures).set({ status: "retried" }).where(eq(jobFailures.jobId, job.id));
    expect((await attempt(job, 1, fail)).outcome).toBe("retry");
    expect(await failureOf(job.id)).toMatchObject({ status: "retrying", attempts: 1 });
  });
});

describe.skipIf(engine !== "postgres")("pg-boss takes back an attempt that outran its expiry", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it("aborts the handler's signal, and a handler that stops on it frees its worker", async () => {
    const attempts: Array<{ attempt: number; aborted: boolean }> = [];
    const boss = pgBossJobs({
      connectionString: t.db.url ?? "",
      logger: t.logger,
      policy: { maxAttempts: 2, baseDelaySeconds: 1, maxDelaySeconds: 1 },
      expireInSeconds: 1,
      heartbeatSeconds: null,
      pollingIntervalSeconds: 0.5,
      superviseIntervalSeconds: 1,
      stopTimeoutMs: 500,
      // One at a time: the second attempt can only run once the first one's handler has returned.
      concurrency: 1,
      recordAbandoned: async () => {},
      async deliver(_job, attempt, signal) {
        const entry = { attempt, aborted: false };
        attempts.push(entry);
        if (attempt === 2) return { outcome: "completed" };
        // Never finishes by itself: stops once pg-boss takes the attempt back.
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
        entry.aborted = true;
        return { outcome: "overrun", error: signal.reason };
      },
    });
    await boss.start();
    try {
      await boss.enqueue({ id: crypto.randomUUID(), topic: "test.hang", payload: {} });
      await expect
        .poll(() => attempts, { timeout: 20_000, interval: 50 })
        .toEqual([
          { attempt: 1, aborted: true },
          { attempt: 2, aborted: false },
        ]);
    } finally {
      await boss.stop();
    }
  }, 30_000);
});
