import { withDatabase } from "../../db/database.ts";
import { postgresCode } from "../../lib/postgres-errors.ts";
import { type Deps, isPermanentFailure, type Job, retryAfterOf } from "../../ports.ts";
import { describeJobError } from "./job-error.ts";
import { type DeliveredJob, isJobCompleted, recordJobCompletion, recordJobFailure } from "./job-store.ts";
import { isLastAttempt, type RetryPolicy, retryDelaySeconds } from "./retry-policy.ts";

/**
 * What became of one delivery, for the engine to act on: `completed` or `repeat` (it had completed
 * before: nothing ran) end it; `retry` asks for another attempt after `delaySeconds`; `dead` means
 * that was the last attempt, or none could succeed. Failures are recorded in job_failures either way,
 * but for `overrun`: the engine took the attempt back (its `signal` aborted: pg-boss expired it, or
 * another worker holds the job now) before it failed, so the engine has settled it already, and a
 * later attempt's record stands.
 */
export type Delivery =
  | { outcome: "completed" | "repeat" }
  | { outcome: "retry"; delaySeconds: number; error: unknown }
  | { outcome: "dead"; error: unknown }
  | { outcome: "overrun"; error: unknown };

/**
 * Runs attempt `attempt` (1 for the first) of a job, once per job id: a job that completed before
 * is not run again, whichever engine delivers it twice. The same on every engine; each engine only
 * acts on the answer (a timer, pg-boss's retry, `message.retry`). A permanent failure (a mail
 * provider refusing the message as made) is dead at its first attempt: trying again changes
 * nothing. Throws only when the database cannot record the outcome: the engine then retries as for
 * any failure.
 *
 * `signal` (pg-boss gives one) aborts when the engine takes the attempt back; the handler gets it
 * to stop early. It may have done its work by then, so a completion is still recorded.
 */
export async function deliverJob(input: {
  deps: Deps;
  job: DeliveredJob;
  attempt: number;
  policy: RetryPolicy;
  run: (job: Job, signal: AbortSignal | undefined) => Promise<void>;
  signal?: AbortSignal | undefined;
}): Promise<Delivery> {
  const { deps, job, attempt, policy, signal } = input;
  if (await withDatabase(deps.database, (db) => isJobCompleted(db, job.id))) {
    deps.logger.log("info", "job.repeat", { job: job.id, topic: job.topic, attempt });
    // An admin may have retried a job recorded dead whose last attempt had completed after all.
    await withDatabase(deps.database, (db) => recordJobCompletion({ db, deps }, job));
    return { outcome: "repeat" };
  }
  try {
    signal?.throwIfAborted();
    await input.run(job, signal);
  } catch (error) {
    if (signal?.aborted) {
      deps.logger.log("warn", "job.overrun", { job: job.id, topic: job.topic, attempt });
      return { outcome: "overrun", error };
    }
    const dead = isLastAttempt(policy, attempt) || isPermanentFailure(error);
    await withDatabase(deps.database, (db) =>
      recordJobFailure(
        { db, deps },
        { job, attempts: attempt, error: describeJobError(error), status: dead ? "dead" : "retrying" },
      ),
    );
    const fields = {
      job: job.id,
      topic: job.topic,
      attempts: attempt,
      error: error instanceof Error ? error.name : "unknown",
      sqlState: postgresCode(error),
    };
    if (dead) {
      deps.logger.log("error", "job.dead", fields);
      return { outcome: "dead", error };
    }
    // A provider that said how long to wait (Retry-After) is left alone at least that long.
    const delaySeconds = Math.min(
      policy.maxDelaySeconds,
      Math.max(retryDelaySeconds(policy, attempt), retryAfterOf(error) ?? 0),
    );
    deps.logger.log("warn", "job.retry", { ...fields, delaySeconds: Math.round(delaySeconds * 1000) / 1000 });
    return { outcome: "retry", delaySeconds, error };
  }
  await withDatabase(deps.database, (db) => recordJobCompletion({ db, deps }, job));
  return { outcome: "completed" };
}
