/**
 * A pg-boss worker process for the jobs tests (test/integration/jobs.test.ts): the app's own Node
 * jobs (nodeDeps with pgBoss, deliverJob, runJob) on the database its start message names, with a
 * mailer that records each start of a `mail.send` job in job_test_starts and its one effect in
 * job_test_effects (unique per job id). `slow` takes 150 ms, `linger` 1 s; `hang` never finishes in a worker
 * started with `hang: true` (the test kills it mid-job, or lets every attempt expire).
 *
 * It loads (the slow part: a second or more, several under load), tells its parent (IPC) `loaded`,
 * and waits for a `JobWorkerStart` message saying where and how to run; it then takes jobs and
 * says `ready`. So tests can load their workers ahead of time, while other tests run. Stops
 * gracefully on SIGTERM, loaded or running.
 */
import { sql } from "drizzle-orm";
import { jsonLogger } from "../../src/adapters/system.ts";
import { parseConfig } from "../../src/config.ts";
import type { DatabasePort } from "../../src/db/database.ts";
import { postgresPool, postgresPort } from "../../src/db/node-postgres.ts";
import { nodeDeps } from "../../src/node/deps.ts";
import type { Mailer } from "../../src/ports.ts";
import { JOB_WORKER_PGBOSS, JOB_WORKER_SETTINGS, type JobWorkerStart } from "./job-worker-settings.ts";

let stopJobs = async () => {};
let database: DatabasePort | undefined;

process.on("SIGTERM", () => {
  stopJobs()
    .then(() => database?.close())
    .then(() => process.exit(0))
    .catch(() => process.exit(1));
});

process.send?.("loaded");
const start = await new Promise<JobWorkerStart>((resolve) =>
  process.once("message", (message) => resolve(message as JobWorkerStart)),
);
database = postgresPort(postgresPool(start.databaseUrl, 5));
const db = database.connect().db;

const mailer: Mailer = {
  async send(message, options) {
    const jobId = options?.idempotencyKey ?? "none";
    await db.execute(sql`insert into job_test_starts (job_id, pid) values (${jobId}, ${process.pid})`);
    if (message.subject === "hang" && start.hang) await new Promise(() => {});
    if (message.subject === "slow") await new Promise((resolve) => setTimeout(resolve, 150));
    if (message.subject === "linger") await new Promise((resolve) => setTimeout(resolve, 1000));
    await db.execute(sql`insert into job_test_effects (job_id, pid) values (${jobId}, ${process.pid})`);
  },
};

const config = parseConfig({
  ...JOB_WORKER_SETTINGS,
  JOB_MAX_ATTEMPTS: String(start.maxAttempts ?? JOB_WORKER_SETTINGS.JOB_MAX_ATTEMPTS),
  APP_ENV: "test",
  JWT_SECRET: "job-worker-secret-of-32-characters!!",
});
const deps = nodeDeps(
  config,
  database,
  { mailer, logger: jsonLogger("warn", (line) => process.stderr.write(`${line}\n`)) },
  {
    pgBoss: {
      ...JOB_WORKER_PGBOSS,
      connectionString: start.databaseUrl,
      expireInSeconds: start.expireInSeconds ?? JOB_WORKER_PGBOSS.expireInSeconds,
      stopTimeoutMs: start.stopTimeoutMs ?? JOB_WORKER_PGBOSS.stopTimeoutMs,
    },
  },
);
stopJobs = deps.stopJobs;
await deps.startJobs();
process.send?.("ready");
