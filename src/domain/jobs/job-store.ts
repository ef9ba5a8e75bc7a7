import { and, eq, lte, ne, or, sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { jobCompletions, jobFailures } from "../../db/schema/index.ts";
import type { Job } from "../../ports.ts";
import type { DomainContext } from "../context.ts";

/** A job as the engines deliver it: every one carries an id (the outbox id, or one its engine gave it). */
export type DeliveredJob = Job & { id: string };

export async function isJobCompleted(db: Database, jobId: string): Promise<boolean> {
  const [row] = await db
    .select({ jobId: jobCompletions.jobId })
    .from(jobCompletions)
    .where(eq(jobCompletions.jobId, jobId));
  return row !== undefined;
}

/** The job completed: remember its id, and a failure row of it is resolved. */
export async function recordJobCompletion(ctx: DomainContext, job: DeliveredJob): Promise<void> {
  const now = ctx.deps.clock.now();
  await ctx.db
    .insert(jobCompletions)
    .values({ jobId: job.id, topic: job.topic, completedAt: now })
    .onConflictDoNothing();
  await ctx.db
    .update(jobFailures)
    .set({ status: "resolved", resolvedAt: now })
    .where(and(eq(jobFailures.jobId, job.id), ne(jobFailures.status, "resolved")));
}

/**
 * Attempt `attempts` of the job failed with `error` (a redacted summary); it is `retrying` or `dead`.
 * The row never moves back: an attempt that ends late (a Queues redelivery raced it) changes nothing
 * once the job is resolved or a later attempt is recorded. An admin's retry starts a new count.
 */
export async function recordJobFailure(
  ctx: DomainContext,
  input: { job: DeliveredJob; attempts: number; error: string; status: "retrying" | "dead" },
): Promise<void> {
  const now = ctx.deps.clock.now();
  const { job, attempts, error, status } = input;
  await ctx.db
    .insert(jobFailures)
    .values({
      jobId: job.id,
      topic: job.topic,
      payload: job.payload ?? {},
      status,
      attempts,
      lastError: error,
      firstFailedAt: now,
      lastFailedAt: now,
    })
    .onConflictDoUpdate({
      target: jobFailures.jobId,
      set: { status, attempts, lastError: error, lastFailedAt: now, resolvedAt: null },
      setWhere: and(
        ne(jobFailures.status, "resolved"),
        or(eq(jobFailures.status, "retried"), lte(jobFailures.attempts, attempts)),
      ),
    });
}

/**
 * An engine gave up on the job without its handler saying so (its last attempt timed out, or its
 * worker died each time): it is dead, unless it completed or was recorded dead already.
 */
export async function recordAbandonedJob(
  ctx: DomainContext,
  input: { job: DeliveredJob; attempts: number; error: string },
): Promise<void> {
  if (await isJobCompleted(ctx.db, input.job.id)) return;
  const now = ctx.deps.clock.now();
  const { job, attempts, error } = input;
  await ctx.db
    .insert(jobFailures)
    .values({
      jobId: job.id,
      topic: job.topic,
      payload: job.payload ?? {},
      status: "dead",
      attempts: Math.max(1, attempts),
      lastError: error,
      firstFailedAt: now,
      lastFailedAt: now,
    })
    .onConflictDoUpdate({
      target: jobFailures.jobId,
      set: {
        status: "dead",
        attempts: sql`greatest(${jobFailures.attempts}, excluded.attempts)`,
        lastError: error,
        lastFailedAt: now,
      },
      setWhere: ne(jobFailures.status, "dead"),
    });
}
