import { type MemoryJobs, memoryJobs } from "../adapters/memory-jobs.ts";
import { withDatabase } from "../db/database.ts";
import { deliverJob } from "../domain/jobs/deliver-job.ts";
import type { DeliveredJob } from "../domain/jobs/job-store.ts";
import { recordAbandonedJob } from "../domain/jobs/job-store.ts";
import { retryPolicyOf } from "../domain/jobs/retry-policy.ts";
import { runJob } from "../jobs.ts";
import type { Deps, Jobs } from "../ports.ts";
import { type PgBossJobs, type PgBossJobsOptions, pgBossJobs } from "./pg-boss-jobs.ts";

/** pg-boss's settings but for what the app wires itself. */
export type PgBossSettings = Omit<PgBossJobsOptions, "deliver" | "recordAbandoned" | "logger" | "policy">;

/** The jobs port of a Node process, and its life cycle. */
export interface NodeJobs {
  jobs: Jobs;
  engine: "memory" | "pg-boss";
  start(): Promise<void>;
  /** Finishes what runs (pg-boss hands back what outlasts its timeout); retries left waiting are recorded dead. */
  stop(): Promise<void>;
  drain(): Promise<void>;
}

/**
 * Node's background jobs (DESIGN §1): pg-boss when the database is PostgreSQL (`pgBoss`, the same
 * DATABASE_URL), so several processes share the work and a crash loses nothing; else the
 * in-process queue (embedded PGlite: one process). Both deliver through `deliverJob`: same
 * retries, same once-per-id, same job_failures rows. `deps` is read when a job runs, once wired.
 */
export function nodeJobs(
  deps: () => Deps,
  settings: { config: Deps["config"]; logger: Deps["logger"]; pgBoss?: PgBossSettings },
): NodeJobs {
  const policy = retryPolicyOf(settings.config);
  const deliver = (job: DeliveredJob, attempt: number, signal?: AbortSignal) =>
    deliverJob({ deps: deps(), job, attempt, policy, signal, run: (job) => runJob(job, deps(), signal) });
  const recordAbandoned = (job: DeliveredJob, attempts: number, error: string) =>
    withDatabase(deps().database, (db) => recordAbandonedJob({ db, deps: deps() }, { job, attempts, error }));

  if (settings.pgBoss) {
    const boss: PgBossJobs = pgBossJobs({
      ...settings.pgBoss,
      deliver,
      recordAbandoned,
      logger: settings.logger,
      policy,
    });
    return { jobs: boss, engine: "pg-boss", start: boss.start, stop: boss.stop, drain: boss.drain };
  }

  const queue: MemoryJobs = memoryJobs(deliver, settings.logger, policy);
  return {
    jobs: queue,
    engine: "memory",
    start: async () => {},
    async stop() {
      // Nothing keeps them past this process: admins see them as dead and may send them again.
      for (const { job, attempt } of await queue.stop()) {
        await recordAbandoned(job, attempt - 1, "Stopped: the server stopped before the next attempt");
      }
    },
    drain: queue.drain,
  };
}
