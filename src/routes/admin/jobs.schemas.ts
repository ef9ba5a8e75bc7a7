import { z } from "@hono/zod-openapi";
import { failedJobSchema, failedJobStatusSchema } from "../../domain/jobs/failed-job-schemas.ts";
import type { NewestFirstPosition } from "../../domain/pagination.ts";
import { cursorQuery, decodeCursor, encodeCursor, pageSchema } from "../../http/cursor.ts";

const jobId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/, "Invalid job id");

export const jobIdParams = z.object({
  id: jobId.openapi({
    param: { name: "id", in: "path" },
    description: "The job's id (`jobId` of a failed job)",
    example: "019b0a12-7e41-7c3a-9b2d-5e6f7a8b9c0d",
  }),
});

export const failedJobsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorQuery,
  topic: z
    .string()
    .max(100)
    .regex(/^[a-z0-9._-]+$/, "Invalid topic")
    .optional()
    .openapi({ description: "Only jobs of this topic", example: "mail.send" }),
  status: failedJobStatusSchema.optional(),
});

export const failedJobPageSchema = pageSchema(failedJobSchema, "FailedJobPage");

const failedJobsCursor = z.object({ c: z.iso.datetime(), i: jobId });

/** Cursor of the failed-jobs list: the (lastFailedAt, jobId) of a page's last job. */
export function encodeFailedJobsCursor(position: NewestFirstPosition | undefined): string | null {
  return position ? encodeCursor({ c: position.createdAt.toISOString(), i: position.id }) : null;
}

export function decodeFailedJobsCursor(cursor: string | undefined): NewestFirstPosition | undefined {
  if (!cursor) return undefined;
  const { c, i } = decodeCursor(cursor, failedJobsCursor);
  return { createdAt: new Date(c), id: i };
}
