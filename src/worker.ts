import { withDatabase } from "./db/database.ts";
import { AppError } from "./domain/errors.ts";
import { deliverJob } from "./domain/jobs/deliver-job.ts";
import { jobIdOf } from "./domain/jobs/job-id.ts";
import { recordAbandonedJob } from "./domain/jobs/job-store.ts";
import { retryDelaySeconds, retryPolicyOf } from "./domain/jobs/retry-policy.ts";
import { problemResponse } from "./http/problem.ts";
import { runJob, scheduledTick } from "./jobs.ts";
import type { Deps, Job } from "./ports.ts";
import { buildWorker } from "./worker/build.ts";
import type { ExecutionContext, MessageBatch, ScheduledController, WorkerEnv } from "./worker-env.ts";

/** The Durable Object that serialises date holds per listing and expires them on time (DESIGN §3). */
export { ListingCalendar } from "./worker/listing-calendar.ts";

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response> {
    const result = buildWorker(env);
    if ("error" in result) {
      console.log(
        JSON.stringify({ level: "error", message: "bad environment", settings: result.error.settings }),
      );
      const detail = `The server is misconfigured: ${result.error.settings.join(", ")}.`;
      return problemResponse(new AppError("BAD_ENVIRONMENT", detail), `req_${crypto.randomUUID()}`);
    }
    return result.app.fetch(request, env, ctx);
  },

  async queue(batch: MessageBatch<Job>, env: WorkerEnv): Promise<void> {
    const result = buildWorker(env);
    if ("error" in result) throw result.error;
    if (batch.queue === ABANDONED_QUEUE) await recordAbandoned(batch, result.deps);
    else await consume(batch, result.deps);
  },

  async scheduled(_controller: ScheduledController, env: WorkerEnv): Promise<void> {
    const result = buildWorker(env);
    if ("error" in result) throw result.error;
    await scheduledTick(result.deps);
  },
};

/** Where Queues moves a message after its last delivery failed without the consumer's word (wrangler.toml). */
const ABANDONED_QUEUE = "stayedge-jobs-abandoned";
/** Queues delays a retry by 12 hours at most. */
const MAX_QUEUES_DELAY_SECONDS = 43_200;

/**
 * Each message is one attempt of a job (`attempts` counts Queues' deliveries): delivered once per
 * job id, retried with the app's back-off, acknowledged once done or dead (recorded for admins).
 */
async function consume(batch: MessageBatch<Job>, deps: Deps): Promise<void> {
  const policy = retryPolicyOf(deps.config);
  for (const message of batch.messages) {
    // A message sent without an id (by an older producer) runs under one named by its own.
    const job = { ...message.body, id: await jobIdOf(message.body.id ?? message.id) };
    let delaySeconds: number | undefined;
    try {
      const delivery = await deliverJob({
        deps,
        job,
        attempt: message.attempts,
        policy,
        run: (job) => runJob(job, deps),
      });
      if (delivery.outcome === "retry") delaySeconds = delivery.delaySeconds;
    } catch (error) {
      // The outcome could not be recorded (the database is down): try again like any failure.
      deps.logger.log("warn", "job.unrecorded", {
        job: job.id,
        topic: job.topic,
        attempts: message.attempts,
        error: error instanceof Error ? error.name : "unknown",
      });
      delaySeconds = retryDelaySeconds(policy, message.attempts);
    }
    if (delaySeconds === undefined) message.ack();
    else message.retry({ delaySeconds: Math.min(MAX_QUEUES_DELAY_SECONDS, Math.ceil(delaySeconds)) });
  }
}

/** Jobs Queues gave up on without the consumer's word (it crashed or timed out each time): dead, for admins. */
async function recordAbandoned(batch: MessageBatch<Job>, deps: Deps): Promise<void> {
  const attempts = retryPolicyOf(deps.config).maxAttempts;
  for (const message of batch.messages) {
    const job = { ...message.body, id: await jobIdOf(message.body.id ?? message.id) };
    await withDatabase(deps.database, (db) =>
      recordAbandonedJob(
        { db, deps },
        { job, attempts, error: "Abandoned: every delivery failed without an answer from the consumer" },
      ),
    );
    message.ack();
  }
}
