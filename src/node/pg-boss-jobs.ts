import { type Job as BossJob, type JobResult, type JobWithMetadata, PgBoss } from "pg-boss";
import type { Delivery } from "../domain/jobs/deliver-job.ts";
import { describeJobError } from "../domain/jobs/job-error.ts";
import { jobIdOf } from "../domain/jobs/job-id.ts";
import type { DeliveredJob } from "../domain/jobs/job-store.ts";
import type { RetryPolicy } from "../domain/jobs/retry-policy.ts";
import type { Job, Jobs, Logger } from "../ports.ts";

/** The queue every job goes through (its topic travels in the data), and where pg-boss moves the ones it gave up on. */
export const JOBS_QUEUE = "stayedge-jobs";
export const ABANDONED_QUEUE = "stayedge-jobs-abandoned";

interface JobData {
  topic: string;
  payload: unknown;
}

export interface PgBossJobsOptions {
  /** The app's own database (DATABASE_URL): pg-boss keeps its tables in the `pgboss` schema there. */
  connectionString: string;
  /**
   * Runs one attempt (1 for the first) of a job and says what became of it. `signal` aborts when
   * pg-boss takes the attempt back (it outran `expireInSeconds`, or its claim was lost).
   */
  deliver: (job: DeliveredJob, attempt: number, signal: AbortSignal) => Promise<Delivery>;
  /** Records a job pg-boss gave up on without its handler's word (its last attempt timed out). */
  recordAbandoned: (job: DeliveredJob, attempts: number, error: string) => Promise<void>;
  logger: Logger;
  policy: RetryPolicy;
  /** Jobs this process runs at once. Default 4; 0: it only sends jobs, others run them. */
  concurrency?: number;
  /**
   * How long an attempt may run before pg-boss takes it back and tries again (a worker that hangs).
   * Default 15 minutes.
   */
  expireInSeconds?: number;
  /**
   * How often a running attempt says it is alive; one silent for this long is taken back (a
   * worker that died). At least 10; null for none (expiry alone). Default 30.
   */
  heartbeatSeconds?: number | null;
  /** How often an idle worker asks for jobs. Default 2. */
  pollingIntervalSeconds?: number;
  /** How often this process looks for expired attempts (every process does; pg-boss coordinates them). Default 60. */
  superviseIntervalSeconds?: number;
  /** How long a stop waits for running attempts before handing them back. Default 8 seconds. */
  stopTimeoutMs?: number;
}

export interface PgBossJobs extends Jobs {
  start(): Promise<void>;
  /** Takes no more jobs, waits for running attempts (up to `stopTimeoutMs`), hands back the rest, closes. */
  stop(): Promise<void>;
  /** Resolves once nothing is queued in pg-boss and nothing runs in this process (tests). */
  drain(): Promise<void>;
}

/**
 * Background jobs on PostgreSQL through pg-boss (Node only; never part of the Worker bundle):
 * every Node process sharing the database takes jobs from the same queue (`SKIP LOCKED`), an
 * attempt whose process died is taken back when its heartbeat stops, and one that runs too long
 * when it expires. pg-boss retries with the app's back-off (the same formula as the other
 * engines); a job out of attempts, or that no attempt could fix, is recorded dead by `deliver`
 * and tried no more; one pg-boss gives up on without a handler's word (a timeout) is recorded dead
 * by the abandoned-jobs worker. A job id is sent once: sending it again while that
 * job is pending or done changes nothing; a failed (dead) one starts again, as an admin's retry.
 */
export function pgBossJobs(options: PgBossJobsOptions): PgBossJobs {
  const { logger, policy } = options;
  const heartbeatSeconds = options.heartbeatSeconds === undefined ? 30 : options.heartbeatSeconds;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    application_name: "stayedge-jobs",
    max: 5,
    superviseIntervalSeconds: options.superviseIntervalSeconds ?? 60,
    monitorIntervalSeconds: options.superviseIntervalSeconds ?? 60,
    // The app's tick sweeps on its own; pg-boss's cron scheduler is not used.
    schedule: false,
  });
  boss.on("error", (error) =>
    logger.log("error", "jobs.engine.error", { error: error.name, code: (error as { code?: unknown }).code }),
  );
  boss.on("warning", (warning) => logger.log("warn", "jobs.engine.warning", { message: warning.message }));

  let started: Promise<void> | undefined;
  let running = 0;
  /**
   * The latest jobs this process returned, until drain() sees pg-boss settled them (it does so just
   * after the handler returns, so only the latest few can be unsettled: the set keeps 100).
   */
  const returned = new Set<string>();

  const send = (id: string, job: Job) =>
    boss.send(JOBS_QUEUE, { topic: job.topic, payload: job.payload } satisfies JobData, { id });

  /**
   * One attempt, settled as its delivery says: completed; failed (pg-boss retries it after its
   * back-off); or dead-lettered (no attempt left, or none could succeed: pg-boss tries it no more).
   * pg-boss keeps the output of a failure: a redacted summary, never the raw error.
   */
  const work = async ([job]: BossJob<JobData>[]): Promise<JobResult[]> => {
    if (!job) return [];
    running++;
    try {
      const delivered: DeliveredJob = { id: job.id, topic: job.data.topic, payload: job.data.payload };
      let delivery: Delivery;
      try {
        // retryCount counts earlier attempts, those that timed out or whose worker died included.
        delivery = await options.deliver(delivered, job.retryCount + 1, job.signal);
      } catch (error) {
        // The outcome could not be recorded (the database is down): retried as for any failure.
        return [{ id: job.id, status: "failed", output: failure(error) }];
      }
      // An overrun was failed by pg-boss already: this changes nothing.
      if (delivery.outcome === "retry" || delivery.outcome === "overrun")
        return [{ id: job.id, status: "failed", output: failure(delivery.error) }];
      if (delivery.outcome === "dead")
        return [{ id: job.id, status: "deadletter", output: failure(delivery.error) }];
      return [{ id: job.id, status: "completed" }];
    } finally {
      returned.add(job.id);
      if (returned.size > 100) returned.delete(returned.values().next().value ?? job.id);
      running--;
    }
  };

  const recordAbandoned = async ([job]: JobWithMetadata<JobData>[]) => {
    if (!job) return;
    await options.recordAbandoned(
      { id: job.sourceId ?? job.id, topic: job.data.topic, payload: job.data.payload },
      (job.sourceRetryCount ?? 0) + 1,
      abandonedBecause(job.sourceOutput),
    );
  };

  return {
    async enqueue(job) {
      if (!started) throw new Error("The pg-boss queue has not been started.");
      await started;
      const id = await jobIdOf(job.id);
      if ((await send(id, job)) !== null) return;
      // That id was sent before. A job pending or done is left as it is; a failed one starts again.
      const [existing] = await boss.findJobs(JOBS_QUEUE, { id, limit: 1 });
      if (existing?.state !== "failed") return;
      await boss.deleteJob(JOBS_QUEUE, id);
      await send(id, job);
    },
    start() {
      started ??= (async () => {
        await boss.start();
        await boss.createQueue(ABANDONED_QUEUE, { retryLimit: 10, retryDelay: 5, retryBackoff: true });
        const queue = {
          retryLimit: policy.maxAttempts - 1,
          retryDelay: Math.max(1, Math.round(policy.baseDelaySeconds)),
          retryBackoff: true,
          retryDelayMax: Math.max(1, Math.round(policy.maxDelaySeconds)),
          expireInSeconds: options.expireInSeconds ?? 900,
          deadLetter: ABANDONED_QUEUE,
        };
        await boss.createQueue(JOBS_QUEUE, { ...queue, ...(heartbeatSeconds ? { heartbeatSeconds } : {}) });
        // The queue may be older than these settings: they apply to jobs sent from now on.
        await boss.updateQueue(JOBS_QUEUE, { ...queue, heartbeatSeconds });
        const concurrency = options.concurrency ?? 4;
        if (concurrency > 0) {
          const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
          await boss.work(
            JOBS_QUEUE,
            { pollingIntervalSeconds, localConcurrency: concurrency, perJobResults: true },
            work,
          );
          await boss.work(
            ABANDONED_QUEUE,
            { pollingIntervalSeconds, includeMetadata: true },
            recordAbandoned,
          );
        }
        logger.log("info", "jobs.started", { engine: "pg-boss", queue: JOBS_QUEUE, concurrency });
      })();
      return started;
    },
    async stop() {
      if (!started) return;
      await started.catch(() => {});
      await boss.stop({ graceful: true, timeout: options.stopTimeoutMs ?? 8000 });
    },
    async drain() {
      for (;;) {
        for (const id of returned) {
          const [job] = await boss.findJobs(JOBS_QUEUE, { id, limit: 1 });
          if (job?.state !== "active") returned.delete(id);
        }
        const queued = await boss.findJobs(JOBS_QUEUE, { queued: true, limit: 1 });
        if (queued.length === 0 && running === 0 && returned.size === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** What pg-boss keeps of a failed attempt: a redacted summary. */
function failure(error: unknown): { name: string; message: string } {
  return { name: "JobFailed", message: describeJobError(error) };
}

/** Why pg-boss gave up on a job, from the output of its last attempt ("job timed out", or our summary). */
function abandonedBecause(output: unknown): string {
  const record = (output ?? {}) as { message?: unknown; value?: { message?: unknown } };
  const message = typeof record.message === "string" ? record.message : record.value?.message;
  return describeJobError(
    Object.assign(new Error(typeof message === "string" ? message : "abandoned"), { name: "Abandoned" }),
  );
}
