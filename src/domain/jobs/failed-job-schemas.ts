import { z } from "zod";
import { documentedEnum } from "../documented-enum.ts";
import { jobFailureStatuses } from "./vocabulary.ts";

/** Failed jobs, described once: what admins are shown, and so OpenAPI and the TypeScript types. */

export const failedJobStatusSchema = documentedEnum(
  jobFailureStatuses,
  "FailedJobStatus",
  "Where a failed job stands.",
  {
    retrying: "it failed, and runs again by itself after a back-off",
    dead: "out of attempts: it runs again only if an admin retries it",
    retried: "an admin sent it again; it has neither failed nor completed since",
    resolved: "a later attempt completed it",
  },
);

const instant = z.iso.datetime();

export const failedJobSchema = z
  .object({
    jobId: z
      .uuid()
      .meta({ description: "The job's id: the outbox message's id, the same on every delivery" }),
    topic: z.string().meta({ description: "What the job does, e.g. `mail.send`, `booking.changed`" }),
    status: failedJobStatusSchema,
    attempts: z
      .int()
      .min(1)
      .meta({ description: "Attempts made in its latest run (a retry starts a new run)" }),
    lastError: z.string().meta({
      description:
        "Why the last attempt failed: the error's name and first line, with URLs, e-mail addresses, " +
        "credentials and tokens taken out, at most 300 characters; a database error's SQLSTATE only",
    }),
    payload: z.record(z.string(), z.unknown()).meta({
      description: "What the job was given, with message bodies, links and credentials redacted",
    }),
    firstFailedAt: instant,
    lastFailedAt: instant,
    retriedAt: instant.nullable().meta({ description: "When an admin last sent it again" }),
    retriedBy: z.uuid().nullable().meta({ description: "The admin who last sent it again" }),
    resolvedAt: instant.nullable().meta({ description: "When a later attempt completed it" }),
  })
  .meta({
    id: "FailedJob",
    description:
      "A background job that failed at least once, whichever engine ran it (pg-boss, the in-process " +
      "queue, Cloudflare Queues). Jobs are retried with exponential back-off; once out of attempts " +
      "they are `dead` until an admin retries them.",
  });

export type FailedJob = z.output<typeof failedJobSchema>;
