import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { memoryJobs } from "../../src/adapters/memory-jobs.ts";
import { parseConfig } from "../../src/config.ts";
import type { Delivery } from "../../src/domain/jobs/deliver-job.ts";
import { describeJobError, MAX_JOB_ERROR_LENGTH } from "../../src/domain/jobs/job-error.ts";
import type { DeliveredJob } from "../../src/domain/jobs/job-store.ts";
import {
  isLastAttempt,
  type RetryPolicy,
  retryDelaySeconds,
  retryPolicyOf,
} from "../../src/domain/jobs/retry-policy.ts";
import { memoryLogger } from "../support/test-app.ts";

const policy: RetryPolicy = { maxAttempts: 6, baseDelaySeconds: 30, maxDelaySeconds: 3600 };

describe("retryDelaySeconds", () => {
  it("waits base · 2^(attempt-1) without jitter and up to twice that with the most", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelaySeconds(policy, attempt, () => 0))).toEqual([
      30, 60, 120, 240, 480,
    ]);
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelaySeconds(policy, attempt, () => 0.999_999))).toEqual(
      [60, 120, 240, 480, 960].map((seconds) => expect.closeTo(seconds, 3)),
    );
  });

  it("is pg-boss's retryBackoff formula, so every engine spaces tries alike", () => {
    // pg-boss (plans.js, failJobs): retry_delay * (2^min(16, retry_count + 1) / 2 + 2^min(16, retry_count + 1) / 2 * random()),
    // with retry_count the attempts before the one that failed.
    for (const retryCount of [0, 1, 4, 10, 20]) {
      const n = Math.min(16, retryCount + 1);
      const pgBoss = Math.min(policy.maxDelaySeconds, 30 * (2 ** n / 2 + (2 ** n / 2) * 0.25));
      expect(retryDelaySeconds(policy, retryCount + 1, () => 0.25)).toBeCloseTo(pgBoss, 9);
    }
  });

  it("never waits longer than maxDelaySeconds, however many attempts", () => {
    for (const attempt of [8, 20, 1000]) {
      expect(retryDelaySeconds(policy, attempt, () => 0.5)).toBe(3600);
    }
  });

  it("spreads retries with jitter", () => {
    const delays = new Set(Array.from({ length: 20 }, () => retryDelaySeconds(policy, 3)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(120);
    for (const delay of delays) expect(delay).toBeLessThan(240);
  });
});

describe("the default retry policy", () => {
  const defaults = retryPolicyOf(parseConfig({ JWT_SECRET: "x".repeat(32) }));

  it("tries six times over about 15 to 30 minutes before a job is dead", () => {
    expect(defaults).toEqual({ maxAttempts: 6, baseDelaySeconds: 30, maxDelaySeconds: 3600 });
    const span = (random: number) =>
      [1, 2, 3, 4, 5].reduce(
        (total, attempt) => total + retryDelaySeconds(defaults, attempt, () => random),
        0,
      );
    expect(span(0) / 60).toBeCloseTo(15.5, 5);
    expect(span(0.999_999) / 60).toBeCloseTo(31, 2);
    expect([5, 6].map((attempt) => isLastAttempt(defaults, attempt))).toEqual([false, true]);
  });

  it("is what Cloudflare Queues is told: max_retries is maxAttempts - 1", () => {
    const toml = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");
    const consumer = /\[\[queues\.consumers\]\]\s*\nqueue = "stayedge-jobs"\n([\s\S]*?)(?:\n\[|$)/.exec(toml);
    expect(consumer, "wrangler.toml consumes stayedge-jobs").not.toBeNull();
    const maxRetries = /max_retries = (\d+)/.exec(consumer?.[1] ?? "")?.[1];
    expect(Number(maxRetries)).toBe(defaults.maxAttempts - 1);
  });
});

describe("describeJobError", () => {
  it("keeps the error's name and the first line of its message", () => {
    const error = new TypeError("mail provider answered 503\nstack-like detail");
    expect(describeJobError(error)).toBe("TypeError: mail provider answered 503");
  });

  it("says only the name and SQLSTATE of a database error, never its query or values", () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_email"'), {
      code: "23505",
    });
    const error = Object.assign(new Error("Failed query: insert into users\nparams: ana@example.com,hash"), {
      name: "DrizzleQueryError",
      query: "insert into users",
      params: ["ana@example.com", "hash"],
      cause,
    });
    expect(describeJobError(error)).toBe("DrizzleQueryError: SQLSTATE 23505");
  });

  it("takes out what could be a secret: URLs past their host, e-mails, credentials, tokens", () => {
    const message =
      "GET https://user:pw@feeds.example.com/calendar/abcdef.ics?token=s3cret failed for ana@example.com " +
      "with Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig, api_key=sk_live_123 and key: 'x y' and " +
      "sk_test_51HabcdefghijklmnopqrstuvWXYZ for booking 019b0a11-3c4d-7e5f-8a6b-7c8d9e0f1a2b";
    const described = describeJobError(new Error(message));
    for (const secret of [
      "user:pw",
      "abcdef.ics",
      "s3cret",
      "ana@example.com",
      "eyJhbGci",
      "sk_live_123",
      "x y",
      "sk_test_51H",
    ]) {
      expect(described).not.toContain(secret);
    }
    expect(described).toContain("https://feeds.example.com/…");
    expect(described).toContain("[email]");
    expect(described).toContain("019b0a11-3c4d-7e5f-8a6b-7c8d9e0f1a2b");
  });

  it("cuts a long message", () => {
    const described = describeJobError(new Error("word ".repeat(200)));
    expect(described.length).toBe(MAX_JOB_ERROR_LENGTH);
    expect(described.endsWith("…")).toBe(true);
  });

  it("describes what is thrown that is not an Error", () => {
    expect(describeJobError("timeout")).toBe("Error: timeout");
    expect(describeJobError({ weird: true })).toBe("unknown");
  });
});

describe("memoryJobs", () => {
  const fast: RetryPolicy = { maxAttempts: 3, baseDelaySeconds: 0.01, maxDelaySeconds: 1 };

  /** A queue whose deliveries follow `script` (per job, per attempt), recording each attempt. */
  function scripted(script: (job: DeliveredJob, attempt: number) => Delivery | Promise<Delivery>) {
    const attempts: string[] = [];
    const logger = memoryLogger();
    const jobs = memoryJobs(
      async (job, attempt) => {
        attempts.push(`${(job.payload as { name: string }).name}#${attempt}`);
        return script(job, attempt);
      },
      logger,
      fast,
    );
    return { jobs, attempts, logger };
  }
  const job = (name: string, id?: string) => ({ id, topic: "test", payload: { name } });
  const retry = (): Delivery => ({ outcome: "retry", delaySeconds: 0.02, error: new Error("down") });

  it("runs jobs one at a time in arrival order, and a retry waits without holding the others up", async () => {
    const { jobs, attempts } = scripted((job, attempt) =>
      (job.payload as { name: string }).name === "flaky" && attempt === 1
        ? retry()
        : { outcome: "completed" },
    );
    await jobs.enqueue(job("flaky"));
    await jobs.enqueue(job("second"));
    await jobs.enqueue(job("third"));
    await jobs.drain();
    expect(attempts).toEqual(["flaky#1", "second#1", "third#1", "flaky#2"]);
  });

  it("gives every job an id, and keeps the one it was given", async () => {
    const ids: string[] = [];
    const jobs = memoryJobs(
      async (job) => {
        ids.push(job.id);
        return { outcome: "completed" };
      },
      memoryLogger(),
      fast,
    );
    await jobs.enqueue(job("a", "019b0a11-0000-7000-8000-000000000001"));
    await jobs.enqueue(job("b"));
    await jobs.drain();
    expect(ids[0]).toBe("019b0a11-0000-7000-8000-000000000001");
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("does not queue a job whose id is already queued, running or waiting for a retry", async () => {
    const { jobs, attempts } = scripted((_job, attempt) =>
      attempt === 1 ? retry() : { outcome: "completed" },
    );
    const id = "019b0a11-0000-7000-8000-000000000002";
    await jobs.enqueue(job("once", id));
    await jobs.enqueue(job("once", id));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await jobs.enqueue(job("once", id));
    await jobs.drain();
    expect(attempts).toEqual(["once#1", "once#2"]);
    // Once it is over, the queue forgets it: whether it completed is deliverJob's to know (job_completions).
    await jobs.enqueue(job("once", id));
    await jobs.drain();
    expect(attempts).toEqual(["once#1", "once#2", "once#1", "once#2"]);
  });

  it("stops retrying once a delivery says the job is dead", async () => {
    const { jobs, attempts } = scripted((_job, attempt) =>
      attempt < 3 ? retry() : { outcome: "dead", error: new Error("down") },
    );
    await jobs.enqueue(job("doomed"));
    await jobs.drain();
    expect(attempts).toEqual(["doomed#1", "doomed#2", "doomed#3"]);
  });

  it("retries a delivery that could not record its outcome, and gives up after the last attempt", async () => {
    const { jobs, attempts, logger } = scripted(() => {
      throw Object.assign(new Error("connection refused: postgres://u:secret@db"), { code: "ECONNREFUSED" });
    });
    await jobs.enqueue(job("unrecorded"));
    await jobs.drain();
    expect(attempts).toEqual(["unrecorded#1", "unrecorded#2", "unrecorded#3"]);
    expect(logger.lines.map((line) => line.message)).toEqual([
      "job.unrecorded",
      "job.unrecorded",
      "job.lost",
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain("secret");
  });

  it("hands back, at a stop, the retries still waiting for their time, after finishing what runs", async () => {
    const slowRetry = (): Delivery => ({ outcome: "retry", delaySeconds: 60, error: new Error("down") });
    const { jobs, attempts } = scripted((job) =>
      (job.payload as { name: string }).name === "waits" ? slowRetry() : { outcome: "completed" },
    );
    await jobs.enqueue(job("waits", "019b0a11-0000-7000-8000-000000000003"));
    await jobs.enqueue(job("runs"));
    const abandoned = await jobs.stop();
    expect(attempts).toEqual(["waits#1", "runs#1"]);
    expect(abandoned.map(({ job, attempt }) => [job.id, attempt])).toEqual([
      ["019b0a11-0000-7000-8000-000000000003", 2],
    ]);
    await jobs.drain();
  });
});
