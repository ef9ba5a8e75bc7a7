import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { JobFailureStatus } from "../../domain/jobs/vocabulary.ts";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Jobs that failed, whatever engine ran them (the in-process queue, pg-boss, Cloudflare Queues):
 * one row per job id, written at its first failure and kept up to date until it completes or dies.
 * Admins list the dead ones and send them again (`admin.listFailedJobs`, `admin.retryJob`); the
 * payload is kept whole for that. `lastError` is a redacted, truncated summary, never a raw message.
 */
export const jobFailures = pgTable(
  "job_failures",
  {
    jobId: text("job_id").primaryKey(),
    topic: text("topic").notNull(),
    payload: jsonb("payload").notNull(),
    status: text("status").$type<JobFailureStatus>().notNull(),
    /** Attempts made in the latest run (an admin's retry starts a new run). */
    attempts: integer("attempts").notNull(),
    lastError: text("last_error").notNull(),
    firstFailedAt: timestamptz("first_failed_at").notNull(),
    lastFailedAt: timestamptz("last_failed_at").notNull(),
    retriedAt: timestamptz("retried_at"),
    /** The admin who sent it again last. */
    retriedBy: text("retried_by"),
    resolvedAt: timestamptz("resolved_at"),
  },
  (t) => [
    index("job_failures_recent_idx").on(t.lastFailedAt, t.jobId),
    index("job_failures_status_idx").on(t.status, t.lastFailedAt, t.jobId),
    check("job_failures_status_check", sql`${t.status} in ('retrying', 'dead', 'retried', 'resolved')`),
    check("job_failures_attempts_check", sql`${t.attempts} >= 1`),
  ],
);

/**
 * Jobs that completed, by id: a job delivered again (an outbox message handed over twice, a
 * Queues redelivery) is recognised and not run twice. Swept after a while (sweepExpired).
 */
export const jobCompletions = pgTable(
  "job_completions",
  {
    jobId: text("job_id").primaryKey(),
    topic: text("topic").notNull(),
    completedAt: timestamptz("completed_at").notNull(),
  },
  (t) => [index("job_completions_completed_at_idx").on(t.completedAt)],
);
