/**
 * A pg-boss worker process for the jobs tests (test/integration/jobs.test.ts): the app's own Node
 * jobs (nodeDeps with pgBoss, deliverJob, runJob) on the database JOB_WORKER_DATABASE_URL, with a
 * mailer that records each start of a `mail.send` job in job_test_starts and its one effect in
 * job_test_effects (unique per job id). A message whose subject is `hang` never finishes in a
 * process started with JOB_WORKER_HANG=1: the test kills that process mid-job. `slow` takes 150 ms.
 * JOB_WORKER_EXPIRE_SECONDS: how long an attempt may run (default JOB_WORKER_PGBOSS's).
 * Tells its parent (IPC) `ready` once it takes jobs; with JOB_WORKER_PAUSED=1 it loads, says
 * `loaded`, and takes jobs only when the parent says `start`. Stops gracefully on SIGTERM.
 */
import { sql } from "drizzle-orm";
import { jsonLogger } from "../../src/adapters/system.ts";
import { parseConfig } from "../../src/config.ts";
import { postgresPool, postgresPort } from "../../src/db/node-postgres.ts";
import { nodeDeps } from "../../src/node/deps.ts";
import type { Mailer } from "../../src/ports.ts";
import { JOB_WORKER_PGBOSS, JOB_WORKER_SETTINGS } from "./job-worker-settings.ts";

const url = process.env.JOB_WORKER_DATABASE_URL;
if (!url) throw new Error("JOB_WORKER_DATABASE_URL is required");
const hang = process.env.JOB_WORKER_HANG === "1";

const database = postgresPort(postgresPool(url, 5));
const db = database.connect().db;

const mailer: Mailer = {
  async send(message, options) {
    const jobId = options?.idempotencyKey ?? "none";
    await db.execute(sql`insert into job_test_starts (job_id, pid) values (${jobId}, ${process.pid})`);
    if (message.subject === "hang" && hang) await new Promise(() => {});
    if (message.subject === "slow") await new Promise((resolve) => setTimeout(resolve, 150));
    await db.execute(sql`insert into job_test_effects (job_id, pid) values (${jobId}, ${process.pid})`);
  },
};

const config = parseConfig({
  ...JOB_WORKER_SETTINGS,
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
      connectionString: url,
      expireInSeconds: Number(process.env.JOB_WORKER_EXPIRE_SECONDS ?? JOB_WORKER_PGBOSS.expireInSeconds),
    },
  },
);
if (process.env.JOB_WORKER_PAUSED === "1") {
  process.send?.("loaded");
  await new Promise((resolve) => process.once("message", resolve));
}
await deps.startJobs();
process.send?.("ready");

process.on("SIGTERM", () => {
  deps
    .stopJobs()
    .then(() => database.close())
    .then(() => process.exit(0))
    .catch(() => process.exit(1));
});
