import { z } from "@hono/zod-openapi";
import { failedJobSchema, failedJobStatusSchema } from "../../domain/jobs/failed-job-schemas.ts";
import { cursorQuery, pageSchema } from "../../http/cursor.ts";

export const jobIdParams = z.object({
  id: z.uuid().openapi({
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
