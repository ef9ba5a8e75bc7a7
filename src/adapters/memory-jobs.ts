import type { Delivery } from "../domain/jobs/deliver-job.ts";
import { jobIdOf } from "../domain/jobs/job-id.ts";
import type { DeliveredJob } from "../domain/jobs/job-store.ts";
import { isLastAttempt, type RetryPolicy, retryDelaySeconds } from "../domain/jobs/retry-policy.ts";
import type { Job, Jobs, Logger } from "../ports.ts";

/** One attempt of a job that waits in the queue. */
interface Attempt {
  job: DeliveredJob;
  attempt: number;
}

/** The in-process queue, with what a stop left undone. */
export interface MemoryJobs extends Jobs {
  /** Resolves once nothing is queued, running or waiting for a retry. */
  drain(): Promise<void>;
  /**
   * Stops: retries waiting for their time are cancelled and returned (the caller records them, so
   * an admin can send them again), then what is queued or running finishes.
   */
  stop(): Promise<Attempt[]>;
}

/**
 * Runs jobs in this process, one at a time in arrival order (the embedded PGlite default: one
 * process, nothing to share). `deliver` runs one attempt and says what became of it; a retry
 * waits for its back-off on a timer and then queues again, behind what arrived meanwhile. A job
 * whose id is already queued, running or waiting is not queued twice. Nothing survives the
 * process: the outbox hands a message over again only if a drain died before marking it.
 */
export function memoryJobs(
  deliver: (job: DeliveredJob, attempt: number) => Promise<Delivery>,
  logger: Logger,
  policy: RetryPolicy,
): MemoryJobs {
  const queue: Attempt[] = [];
  const waiting = new Map<string, { attempt: Attempt; timer: ReturnType<typeof setTimeout> }>();
  const pending = new Set<string>();
  let pumping = false;
  let idle: { promise: Promise<void>; resolve: () => void } | undefined;

  const settleIfIdle = () => {
    if (pending.size > 0 || !idle) return;
    idle.resolve();
    idle = undefined;
  };

  const retryLater = (next: Attempt, delaySeconds: number) => {
    const timer = setTimeout(() => {
      waiting.delete(next.job.id);
      push(next);
    }, delaySeconds * 1000);
    // A retry waiting for its time must not keep the process alive: stop() hands it over.
    timer.unref?.();
    waiting.set(next.job.id, { attempt: next, timer });
  };

  const runOne = async ({ job, attempt }: Attempt): Promise<void> => {
    let delivery: Delivery;
    try {
      delivery = await deliver(job, attempt);
    } catch (error) {
      // The outcome could not be recorded (the database is down): try again like any failure.
      const name = error instanceof Error ? error.name : "unknown";
      if (isLastAttempt(policy, attempt)) {
        logger.log("error", "job.lost", { job: job.id, topic: job.topic, attempts: attempt, error: name });
        delivery = { outcome: "dead", error };
      } else {
        logger.log("warn", "job.unrecorded", {
          job: job.id,
          topic: job.topic,
          attempts: attempt,
          error: name,
        });
        delivery = { outcome: "retry", delaySeconds: retryDelaySeconds(policy, attempt), error };
      }
    }
    if (delivery.outcome === "retry") retryLater({ job, attempt: attempt + 1 }, delivery.delaySeconds);
    else pending.delete(job.id);
  };

  const pump = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await runOne(next);
    pumping = false;
    settleIfIdle();
  };

  const push = (attempt: Attempt) => {
    queue.push(attempt);
    if (pumping) return;
    pumping = true;
    // After the caller's turn, as a request's jobs run after its answer.
    void Promise.resolve().then(pump);
  };

  const drain = (): Promise<void> => {
    if (pending.size === 0) return Promise.resolve();
    if (!idle) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      idle = { promise, resolve };
    }
    return idle.promise;
  };

  return {
    async enqueue(job: Job) {
      const delivered: DeliveredJob = { ...job, id: await jobIdOf(job.id) };
      if (pending.has(delivered.id)) return;
      pending.add(delivered.id);
      push({ job: delivered, attempt: 1 });
    },
    drain,
    async stop() {
      const abandoned = [...waiting.values()].map(({ attempt, timer }) => {
        clearTimeout(timer);
        pending.delete(attempt.job.id);
        return attempt;
      });
      waiting.clear();
      settleIfIdle();
      await drain();
      return abandoned;
    },
  };
}
