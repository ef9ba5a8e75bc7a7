import { createRoute } from "@hono/zod-openapi";
import { failedJobSchema } from "../../domain/jobs/failed-job-schemas.ts";
import { jsonContent } from "../../http/json.ts";
import { adminOnly } from "../../http/middleware/auth.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import { failedJobPageExample, retriedJobExample } from "./jobs.examples.ts";
import { failedJobPageSchema, failedJobsQuery, jobIdParams } from "./jobs.schemas.ts";

export const listFailedJobs = createRoute({
  method: "get",
  path: "/admin/failed-jobs",
  operationId: "admin.listFailedJobs",
  tags: ["Admin"],
  summary: "List failed background jobs, latest failure first",
  description:
    "Jobs that failed at least once, whichever engine runs them (pg-boss, the in-process queue, " +
    "Cloudflare Queues), by topic and status if asked (`status=dead`: those out of attempts), with " +
    "keyset cursors. Admins only.",
  ...adminOnly,
  request: { query: failedJobsQuery },
  responses: {
    200: {
      description: "A page of failed jobs",
      content: jsonContent(failedJobPageSchema, failedJobPageExample),
    },
    ...authResponses,
    ...errorResponses,
  },
});

export const retryJob = createRoute({
  method: "post",
  path: "/admin/failed-jobs/{id}/retry",
  operationId: "admin.retryJob",
  tags: ["Admin"],
  summary: "Send a dead job again",
  description:
    "The job runs again under its own id, with all its attempts: its status is `retried` until it " +
    "completes (`resolved`) or fails again. Only a dead job. Admins only.",
  ...adminOnly,
  request: { params: jobIdParams },
  responses: {
    200: { description: "The job, sent again", content: jsonContent(failedJobSchema, retriedJobExample) },
    ...authResponses,
    404: problemResponseFor("No such failed job", { NOT_FOUND: "No failed job with this id." }),
    409: problemResponseFor("Not dead (`INVALID_STATE`)", {
      INVALID_STATE: "This job is retrying, not dead: only a dead job can be retried.",
    }),
    ...errorResponses,
  },
});
