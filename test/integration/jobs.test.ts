/**
 * Issue 18 (notifications, the delivery engine): background jobs are delivered at least once and
 * run once per job id, failures are retried with exponential back-off up to JOB_MAX_ATTEMPTS, and
 * a job out of attempts is dead: admins list it (admin.listFailedJobs) and send it again
 * (admin.retryJob). The same scenarios run on the in-process queue (PGlite) and on pg-boss
 * (PostgreSQL); on PostgreSQL, worker processes are also killed mid-job and share the work.
 */
import { type ChildProcess, fork } from "node:child_process";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jobCompletions, jobFailures, outbox } from "../../src/db/schema/index.ts";
import { withTransaction } from "../../src/domain/context.ts";
import { JOB_RECORDS_DAYS, sweepExpired } from "../../src/domain/maintenance/sweep-expired.ts";
import { addToOutbox } from "../../src/domain/outbox/add-to-outbox.ts";
import { drainOutbox } from "../../src/domain/outbox/drain-outbox.ts";
import { topics } from "../../src/domain/outbox/topics.ts";
import type { Job, Mailer, MailMessage } from "../../src/ports.ts";
import * as routes from "../../src/routes/admin/jobs.routes.ts";
import { expectStatus } from "../support/api.ts";
import { type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import {
  JOB_WORKER_PGBOSS,
  JOB_WORKER_SETTINGS,
  type JobWorkerStart,
} from "../support/job-worker-settings.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { engine, queryRows } from "../support/test-database.ts";

const ADMIN_EMAIL = "jobs-admin@example.com";
const onPgBoss = engine === "postgres";
/** Back-off before jitter: pg-boss counts whole seconds; the in-process queue can go faster. */
const BASE_SECONDS = onPgBoss ? 1 : 0.05;
const settings = onPgBoss
  ? JOB_WORKER_SETTINGS
  : { ...JOB_WORKER_SETTINGS, JOB_RETRY_DELAY_SECONDS: "0.05", JOB_RETRY_DELAY_MAX_SECONDS: "0.1" };
const WAIT = { timeout: 15_000, interval: 25 };

/** A mailer that fails the first `failures.get(jobId)` attempts of each job, and records each attempt. */
function scriptedMailer() {
  const failures = new Map<string, number>();
  /** Jobs whose every attempt meets a refusal no retry can fix (`permanent: true`). */
  const refused = new Set<string>();
  const attempts: Array<{ jobId: string; at: number }> = [];
  const sent: string[] = [];
  /** Called just after a job's attempt fails (once its failure is on its way back to the engine). */
  const afterFailure = new Map<string, () => void>();
  const mailer: Mailer = {
    async send(_message, options) {
      const jobId = options?.idempotencyKey ?? "none";
      attempts.push({ jobId, at: performance.now() });
      if (refused.has(jobId)) {
        throw Object.assign(new Error("address rejected"), { name: "MailRefusedError", permanent: true });
      }
      const left = failures.get(jobId) ?? 0;
      if (left > 0) {
        failures.set(jobId, left - 1);
        const then = afterFailure.get(jobId);
        if (then) setTimeout(then, 0);
        throw Object.assign(
          new Error("smtp refused carol@example.com: https://mail.example/send?key=k3y token=s3cr3t"),
          { name: "MailProviderError" },
        );
      }
      sent.push(jobId);
    },
  };
  return { mailer, failures, refused, attempts, sent, afterFailure };
}

const mail = (text = "Reset: https://stayedge.test/reset?token=r3set-t0ken"): MailMessage => ({
  to: "carol@example.com",
  subject: "Reset your password",
  text,
});
const mailJob = (id: string = crypto.randomUUID()): Job & { id: string } => ({
  id,
  topic: topics.sendMail,
  payload: mail(),
});

describe(`background jobs on ${onPgBoss ? "pg-boss (PostgreSQL)" : "the in-process queue (PGlite)"}`, () => {
  const script = scriptedMailer();
  let t: TestApp;
  let admin: SignedUpUser;
  let member: SignedUpUser;
  const db = () => t.db.database.connect().db;

  beforeAll(async () => {
    t = await createTestApp({
      env: { ADMIN_EMAIL, ...settings },
      deps: { mailer: script.mailer },
      ...(onPgBoss ? { pgBoss: JOB_WORKER_PGBOSS } : {}),
    });
    [admin, member] = await Promise.all([signUp(t, { email: ADMIN_EMAIL }), signUp(t)]);
  });
  afterAll(() => t?.close());

  const failureOf = async (jobId: string) =>
    (await db().select().from(jobFailures).where(eq(jobFailures.jobId, jobId)))[0];
  const sentCount = (jobId: string) => script.sent.filter((id) => id === jobId).length;
  /**
   * Resolves once the engine holds no further attempt of the job: pg-boss has failed it for good
   * (it fetches only created or retrying jobs), and nothing is queued, running or waiting for a
   * retry in this process.
   */
  const settledForGood = async (jobId: string) => {
    if (onPgBoss) {
      await expect
        .poll(
          () =>
            queryRows<{ state: string }>(db(), sql`select state from pgboss.job where id = ${jobId}::uuid`),
          WAIT,
        )
        .toEqual([{ state: "failed" }]);
    }
    await t.deps.drainJobs();
  };

  it("retries a failing job with exponential back-off, and completes it once", async () => {
    const job = mailJob();
    script.failures.set(job.id, 2);
    await t.deps.jobs.enqueue(job);
    await expect.poll(() => sentCount(job.id), WAIT).toBe(1);

    const times = script.attempts.filter((a) => a.jobId === job.id).map((a) => a.at);
    expect(times).toHaveLength(3);
    // Each wait is at least base · 2^(attempt-1) (jitter only adds); 10 ms of timer slack.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(BASE_SECONDS * 1000 - 10);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(BASE_SECONDS * 2000 - 10);

    await expect.poll(async () => (await failureOf(job.id))?.status, WAIT).toBe("resolved");
    const row = await failureOf(job.id);
    expect(row).toMatchObject({ topic: "mail.send", attempts: 2 });
    expect(row?.lastError).toMatch(
      /^MailProviderError: smtp refused \[email\]: https:\/\/mail\.example\/… token=\[redacted\]$/,
    );
    const completed = await db().select().from(jobCompletions).where(eq(jobCompletions.jobId, job.id));
    expect(completed).toHaveLength(1);
  }, 30_000);

  it("drains only once a failed attempt's retry has run, even when asked as the attempt fails", async () => {
    const job = mailJob();
    script.failures.set(job.id, 1);
    let drained: Promise<void> | undefined;
    script.afterFailure.set(job.id, () => {
      drained = t.deps.drainJobs();
    });
    await t.deps.jobs.enqueue(job);
    await expect.poll(() => drained !== undefined, WAIT).toBe(true);
    await drained;
    expect(sentCount(job.id)).toBe(1);
  });

  it("records a job out of attempts as dead; admins list it and send it again, and it completes", async () => {
    const job = mailJob();
    script.failures.set(job.id, 99);
    await t.deps.jobs.enqueue(job);
    await expect.poll(async () => (await failureOf(job.id))?.status, WAIT).toBe("dead");
    // Nothing runs it again by itself.
    await settledForGood(job.id);
    expect(script.attempts.filter((a) => a.jobId === job.id)).toHaveLength(3);

    const listed = await t.call(routes.listFailedJobs, {
      token: admin.accessToken,
      query: { status: "dead" },
    });
    expectStatus(listed, 200);
    const entry = listed.body.items.find((item) => item.jobId === job.id);
    expect(entry).toMatchObject({
      topic: "mail.send",
      status: "dead",
      attempts: 3,
      payload: { to: "carol@example.com", subject: "Reset your password", text: "[redacted]" },
      retriedAt: null,
    });
    expect(JSON.stringify(listed.body)).not.toMatch(/r3set-t0ken|s3cr3t|k3y/);

    script.failures.set(job.id, 0);
    const retried = await t.call(routes.retryJob, { token: admin.accessToken, params: { id: job.id } });
    expectStatus(retried, 200);
    expect(retried.body).toMatchObject({ jobId: job.id, status: "retried", retriedBy: admin.id });
    await expect.poll(() => sentCount(job.id), WAIT).toBe(1);
    await expect.poll(async () => (await failureOf(job.id))?.status, WAIT).toBe("resolved");
    // The payload it ran with is the one it was given, not what admins were shown.
    expect(script.attempts.filter((a) => a.jobId === job.id)).toHaveLength(4);

    const again = await t.call(routes.retryJob, { token: admin.accessToken, params: { id: job.id } });
    expectStatus(again, 409);
    expect(again.body.code).toBe("INVALID_STATE");
  }, 30_000);

  it("runs a dead job once when two retries of it race: one 200, the other 409 INVALID_STATE", async () => {
    const job = mailJob();
    await db().insert(jobFailures).values({
      jobId: job.id,
      topic: job.topic,
      payload: job.payload,
      status: "dead",
      attempts: 3,
      lastError: "MailProviderError: down",
      firstFailedAt: new Date(),
      lastFailedAt: new Date(),
    });
    const retry = () => t.call(routes.retryJob, { token: admin.accessToken, params: { id: job.id } });
    const answers = await Promise.all([retry(), retry()]);
    expect(answers.map((answer) => answer.status).sort(), answers.map((a) => a.text).join("\n")).toEqual([
      200, 409,
    ]);
    expect(answers.find((answer) => answer.status === 409)?.body).toMatchObject({ code: "INVALID_STATE" });
    await expect.poll(async () => (await failureOf(job.id))?.status, WAIT).toBe("resolved");
    await t.deps.drainJobs();
    expect(script.attempts.filter((a) => a.jobId === job.id)).toHaveLength(1);
    expect(sentCount(job.id)).toBe(1);
  });

  it("records as dead at once a job no attempt could fix, and tries it no more", async () => {
    const job = mailJob();
    script.refused.add(job.id);
    await t.deps.jobs.enqueue(job);
    await expect.poll(async () => (await failureOf(job.id))?.status, WAIT).toBe("dead");
    expect(await failureOf(job.id)).toMatchObject({
      attempts: 1,
      lastError: "MailRefusedError: address rejected",
    });
    await settledForGood(job.id);
    expect(script.attempts.filter((a) => a.jobId === job.id)).toHaveLength(1);
  });

  it("runs a job once, however often it is handed over", async () => {
    // An outbox message handed to the jobs port twice, as after a drain that died before marking it.
    const id = await withTransaction({ db: db(), deps: t.deps }, async (ctx) => {
      await addToOutbox(ctx, { topic: topics.sendMail, payload: mail("Once only") });
      const [row] = await ctx.db
        .select({ id: outbox.id })
        .from(outbox)
        .orderBy(sql`${outbox.id} desc`)
        .limit(1);
      return row?.id ?? "";
    });
    const ctx = { db: db(), deps: t.deps };
    await drainOutbox({ ctx, input: {} });
    await db().update(outbox).set({ processedAt: null }).where(eq(outbox.id, id));
    await drainOutbox({ ctx, input: {} });
    await Promise.all([t.deps.jobs.enqueue(mailJob(id)), t.deps.jobs.enqueue(mailJob(id))]);
    await expect.poll(() => sentCount(id), WAIT).toBe(1);

    if (onPgBoss) {
      // pg-boss forgets completed jobs after a while; job_completions still knows.
      await db().execute(sql`delete from pgboss.job where id = ${id}::uuid`);
    }
    await t.deps.jobs.enqueue(mailJob(id));
    await expect
      .poll(() => t.logger.lines.some((line) => line.message === "job.repeat" && line.job === id), WAIT)
      .toBe(true);
    await t.deps.drainJobs();
    expect(sentCount(id)).toBe(1);
  });

  it("pages through failed jobs, latest failure first, by topic and status", async () => {
    const at = (minute: number) => new Date(Date.UTC(2020, 0, 1, 0, minute));
    const rows = [0, 1, 2].map((minute) => ({
      jobId: crypto.randomUUID(),
      topic: "test.paging",
      payload: { n: minute },
      status: minute === 1 ? ("retrying" as const) : ("dead" as const),
      attempts: 1,
      lastError: "Error: test",
      firstFailedAt: at(minute),
      lastFailedAt: at(minute),
    }));
    await db().insert(jobFailures).values(rows);
    const token = admin.accessToken;
    const first = await t.call(routes.listFailedJobs, { token, query: { topic: "test.paging", limit: 2 } });
    expectStatus(first, 200);
    expect(first.body.items.map((item) => item.payload)).toEqual([{ n: 2 }, { n: 1 }]);
    const second = await t.call(routes.listFailedJobs, {
      token,
      query: { topic: "test.paging", limit: 2, cursor: first.body.nextCursor ?? "" },
    });
    expectStatus(second, 200);
    expect(second.body).toMatchObject({ items: [{ payload: { n: 0 } }], nextCursor: null });
    const dead = await t.call(routes.listFailedJobs, {
      token,
      query: { topic: "test.paging", status: "dead" },
    });
    expectStatus(dead, 200);
    expect(dead.body.items.map((item) => item.payload)).toEqual([{ n: 2 }, { n: 0 }]);
    const bad = await t.call(routes.listFailedJobs, { token, query: { cursor: "bm90LWEtY3Vyc29y" } });
    expectStatus(bad, 400);
  });

  it("answers 404 for a job that never failed, and 409 INVALID_STATE for one still retrying", async () => {
    const unknown = await t.call(routes.retryJob, {
      token: admin.accessToken,
      params: { id: crypto.randomUUID() },
    });
    expectStatus(unknown, 404);
    const jobId = crypto.randomUUID();
    await db().insert(jobFailures).values({
      jobId,
      topic: "test.retrying",
      payload: {},
      status: "retrying",
      attempts: 1,
      lastError: "Error: test",
      firstFailedAt: new Date(),
      lastFailedAt: new Date(),
    });
    const retrying = await t.call(routes.retryJob, { token: admin.accessToken, params: { id: jobId } });
    expectStatus(retrying, 409);
    expect(retrying.body.code).toBe("INVALID_STATE");
  });

  it("forgets completed job ids and resolved failures after 14 days, never a dead job", async () => {
    const old = new Date(Date.now() - (JOB_RECORDS_DAYS * 86_400_000 + 60_000));
    const [done, resolved, dead] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await db().insert(jobCompletions).values({ jobId: done, topic: "test.sweep", completedAt: old });
    const failure = {
      topic: "test.sweep",
      payload: {},
      attempts: 1,
      lastError: "Error: test",
      firstFailedAt: old,
      lastFailedAt: old,
    };
    await db()
      .insert(jobFailures)
      .values([
        { ...failure, jobId: resolved, status: "resolved", resolvedAt: old },
        { ...failure, jobId: dead, status: "dead" },
      ]);
    const swept = await sweepExpired({ ctx: { db: db(), deps: t.deps } });
    expect(swept).toMatchObject({ jobCompletions: 1, resolvedJobFailures: 1 });
    const left = await db()
      .select({ jobId: jobFailures.jobId })
      .from(jobFailures)
      .where(eq(jobFailures.topic, "test.sweep"));
    expect(left.map((row) => row.jobId)).toEqual([dead]);
  });

  it("lets only admins see or retry failed jobs: 401 without a token, 403 for others", async () => {
    const id = crypto.randomUUID();
    for (const token of [undefined, member.accessToken]) {
      const list = await t.call(routes.listFailedJobs, token ? { token } : {});
      const retry = await t.call(routes.retryJob, token ? { token, params: { id } } : { params: { id } });
      const status = token ? 403 : 401;
      expect([list.status, retry.status], `${list.text} ${retry.text}`).toEqual([status, status]);
    }
  });
});

/** How many rows `query` counts. */
async function count(t: TestApp, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await queryRows<{ n: number }>(t.db.database.connect().db, query);
  return Number(row?.n ?? 0);
}

/**
 * Worker processes (test/support/job-worker.ts) for the pg-boss suite below. Loading one takes
 * seconds (more on a loaded machine), so the first test's two start loading with this file, while
 * the in-process suite mostly waits for its back-offs, and each further one as a worker before it
 * starts (not all at once: a burst would starve the tests running meanwhile). A test finds its
 * workers loaded, and tells them where and how to run.
 */
const WORKERS_NEEDED = 6;
const pool: Array<Promise<LoadedWorker>> = [];
const children: ChildProcess[] = [];
/** Workers the current test started: its own, stopped after it. */
const running: ChildProcess[] = [];

interface LoadedWorker {
  child: ChildProcess;
  pid: number | undefined;
  /** Takes jobs from now on, run as `start` says; resolves once it does. */
  start(start: JobWorkerStart): Promise<void>;
}

function load(): Promise<LoadedWorker> {
  const child = fork(new URL("../support/job-worker.ts", import.meta.url), {
    execArgv: [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.push(child);
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (message !== word) return;
        child.off("message", onMessage);
        resolve();
      };
      child.on("message", onMessage);
      child.once("exit", (code) => reject(new Error(`worker exited with ${code} before it was ${word}`)));
    });
  const ready = said("ready");
  ready.catch(() => {});
  const loaded = said("loaded").then(
    (): LoadedWorker => ({
      child,
      pid: child.pid,
      start: async (start) => {
        running.push(child);
        child.send(start);
        await ready;
        if (children.length < WORKERS_NEEDED) pool.push(load());
      },
    }),
  );
  loaded.catch(() => {});
  return loaded;
}

/** A loaded worker, from those loaded ahead, else one loaded now. */
const take = (): Promise<LoadedWorker> => pool.shift() ?? load();

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

if (onPgBoss) pool.push(load(), load());
afterAll(async () => {
  await Promise.all(children.map(stopWorker));
});

describe.skipIf(!onPgBoss)("pg-boss worker processes (PostgreSQL)", () => {
  let t: TestApp;
  const on = (start: Omit<JobWorkerStart, "databaseUrl">): JobWorkerStart => ({
    ...start,
    databaseUrl: t.db.url ?? "",
  });

  const send = (subject: string, id = crypto.randomUUID()) =>
    t.deps.jobs
      .enqueue({ id, topic: topics.sendMail, payload: { to: "carol@example.com", subject, text: "…" } })
      .then(() => id);

  beforeAll(async () => {
    // This process only sends jobs: the worker processes run them.
    t = await createTestApp({ env: settings, pgBoss: { ...JOB_WORKER_PGBOSS, concurrency: 0 } });
    const db = t.db.database.connect().db;
    await db.execute(
      sql`create table job_test_starts (job_id text not null, pid int not null, at timestamptz not null default clock_timestamp())`,
    );
    await db.execute(
      sql`create table job_test_effects (job_id text primary key, pid int not null, at timestamptz not null default clock_timestamp())`,
    );
  });
  // Each test brings its own workers.
  afterEach(async () => {
    await Promise.all(running.splice(0).map(stopWorker));
  });
  afterAll(async () => {
    await Promise.all(children.map(stopWorker));
    await t?.close();
  });

  it("finishes once a job whose worker was killed mid-job, brought back by pg-boss's expiry", async () => {
    // The second worker is loaded, but takes jobs only once the first is dead.
    const [first, second] = await Promise.all([take(), take()]);
    await first.start(on({ hang: true }));
    const id = await send("hang");
    await expect
      .poll(() => count(t, sql`select count(*) n from job_test_starts where job_id = ${id}`), WAIT)
      .toBe(1);
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));

    // The dead worker's attempt expires 3 s after it started: pg-boss fails it ("job timed out") and
    // puts the job back for a second attempt (retry_count 1) after its back-off (1 to 2 s), which
    // another worker then takes. Watched from now on, while that worker starts.
    const expired = expect
      .poll(
        () =>
          count(
            t,
            // Whatever state the second attempt has reached by the time it is looked at (under load
            // it may be done already, its output replaced): the job came back once.
            sql`select count(*) n from pgboss.job where id = ${id}::uuid and retry_count = 1
                and state in ('retry', 'active', 'completed')`,
          ),
        { ...WAIT, timeout: 45_000 },
      )
      .toBe(1);
    await second.start(on({ hang: false }));
    await expired;
    await expect
      .poll(() => count(t, sql`select count(*) n from job_test_effects where job_id = ${id}`), WAIT)
      .toBe(1);

    const starts = await queryRows<{ pid: number; at: Date }>(
      t.db.database.connect().db,
      sql`select pid, at from job_test_starts where job_id = ${id} order by at`,
    );
    expect(starts.map((s) => s.pid)).toEqual([first.pid, second.pid]);
    // It came back only once the dead worker's attempt had expired.
    expect(new Date(starts[1]!.at).getTime() - new Date(starts[0]!.at).getTime()).toBeGreaterThanOrEqual(
      3000,
    );
    await expect
      .poll(
        () =>
          queryRows<{ state: string; retry_count: number }>(
            t.db.database.connect().db,
            sql`select state, retry_count from pgboss.job where id = ${id}::uuid`,
          ),
        WAIT,
      )
      .toEqual([{ state: "completed", retry_count: 1 }]);
    // The second attempt succeeded: nothing was recorded as failed, and nothing runs it again.
    const [effect] = await queryRows<{ pid: number }>(
      t.db.database.connect().db,
      sql`select pid from job_test_effects where job_id = ${id}`,
    );
    expect(effect?.pid).toBe(second.pid);
  }, 45_000);

  it("shares jobs between two worker processes, none run twice", async () => {
    const [a, b] = await Promise.all([take(), take()]);
    await Promise.all([a.start(on({ hang: false })), b.start(on({ hang: false }))]);
    const ids = await Promise.all(Array.from({ length: 24 }, () => send("slow")));
    const all = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    await expect
      .poll(() => count(t, sql`select count(*) n from job_test_effects where job_id in (${all})`), WAIT)
      .toBe(24);
    const byPid = await queryRows<{ pid: number; n: number }>(
      t.db.database.connect().db,
      sql`select pid, count(*)::int n from job_test_starts where job_id in (${all}) group by pid order by pid`,
    );
    expect(byPid.map((row) => row.pid).sort()).toEqual([a.pid, b.pid].sort());
    for (const row of byPid) expect(row.n).toBeGreaterThan(0);
    expect(await count(t, sql`select count(*) n from job_test_starts where job_id in (${all})`)).toBe(24);
  }, 30_000);

  it("lets a running job finish when its worker is stopped (SIGTERM), then exits", async () => {
    const worker = await take();
    // Time enough for the job; a stop that waited for nothing would hand it back at once.
    await worker.start(on({ hang: false, stopTimeoutMs: 30_000 }));
    const id = await send("linger");
    await expect
      .poll(() => count(t, sql`select count(*) n from job_test_starts where job_id = ${id}`), WAIT)
      .toBe(1);
    const exited = new Promise((resolve) => worker.child.once("exit", resolve));
    worker.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const [effect] = await queryRows<{ pid: number }>(
      t.db.database.connect().db,
      sql`select pid from job_test_effects where job_id = ${id}`,
    );
    expect(effect?.pid).toBe(worker.pid);
    expect(
      await queryRows(
        t.db.database.connect().db,
        sql`select state, retry_count from pgboss.job where id = ${id}::uuid`,
      ),
    ).toEqual([{ state: "completed", retry_count: 0 }]);
  }, 30_000);

  it("records as dead a job whose every attempt hung past its expiry", async () => {
    // Attempts expire after 1 s here, and there are two: they and the back-off take a few seconds.
    await (await take()).start(on({ hang: true, expireInSeconds: 1, maxAttempts: 2, stopTimeoutMs: 500 }));
    const id = await send("hang");
    await expect
      .poll(
        async () =>
          (
            await t.db.database
              .connect()
              .db.select()
              .from(jobFailures)
              .where(inArray(jobFailures.jobId, [id]))
          )[0]?.status,
        {
          ...WAIT,
          timeout: 40_000,
        },
      )
      .toBe("dead");
    const [row] = await t.db.database
      .connect()
      .db.select()
      .from(jobFailures)
      .where(eq(jobFailures.jobId, id));
    expect(row).toMatchObject({ attempts: 2 });
    // Failed by the hung worker's own pg-boss (its handler outran the expiry), or by a supervisor.
    expect(row?.lastError).toMatch(/^Abandoned: (handler execution exceeded 1s|job timed out)$/);
    expect(await count(t, sql`select count(*) n from job_test_starts where job_id = ${id}`)).toBe(2);
  }, 60_000);
});
