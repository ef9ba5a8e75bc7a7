import type { PgBossSettings } from "../../src/node/node-jobs.ts";

/** The jobs settings of the jobs tests, in process and in the worker processes alike: 3 tries, 1 s back-off. */
export const JOB_WORKER_SETTINGS = {
  JOB_MAX_ATTEMPTS: "3",
  JOB_RETRY_DELAY_SECONDS: "1",
  JOB_RETRY_DELAY_MAX_SECONDS: "2",
} as const;

/**
 * pg-boss timings small enough that a test takes seconds: an attempt expires after 3 s (the worker
 * that ran it was killed), every process looks for expired attempts each second, idle workers poll
 * twice a second. No heartbeat: pg-boss allows 10 s at least, expiry alone brings a job back.
 */
export const JOB_WORKER_PGBOSS: Omit<PgBossSettings, "connectionString"> = {
  expireInSeconds: 3,
  heartbeatSeconds: null,
  superviseIntervalSeconds: 1,
  pollingIntervalSeconds: 0.5,
  stopTimeoutMs: 2000,
};

/** Where and how a loaded worker process (test/support/job-worker.ts) is told to run. */
export interface JobWorkerStart {
  /** The test's database: jobs, and the tables job_test_starts and job_test_effects. */
  databaseUrl: string;
  /** Whether a `hang` message hangs (else it is sent like any other). */
  hang: boolean;
  /** How long an attempt may run (default JOB_WORKER_PGBOSS's). */
  expireInSeconds?: number;
  /** Tries in all (default JOB_WORKER_SETTINGS'). */
  maxAttempts?: number;
  /** How long a stop waits for running attempts (default JOB_WORKER_PGBOSS's). */
  stopTimeoutMs?: number;
}
