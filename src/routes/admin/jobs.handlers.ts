import type { RouteHandler } from "@hono/zod-openapi";
import { listFailedJobs } from "../../domain/jobs/list-failed-jobs.ts";
import { retryJob } from "../../domain/jobs/retry-job.ts";
import { domainContext } from "../../http/context.ts";
import { decodeNewestFirst, encodeNewestFirst } from "../../http/cursor.ts";
import type { AppEnv } from "../../http/types.ts";
import type * as routes from "./jobs.routes.ts";

export const listFailedJobsHandler: RouteHandler<typeof routes.listFailedJobs, AppEnv> = async (c) => {
  const { limit, cursor, topic, status } = c.req.valid("query");
  const page = await listFailedJobs({
    ctx: domainContext(c),
    input: { limit, topic, status, after: decodeNewestFirst(cursor) },
  });
  return c.json({ items: page.items, nextCursor: encodeNewestFirst(page.next) }, 200);
};

export const retryJobHandler: RouteHandler<typeof routes.retryJob, AppEnv> = async (c) =>
  c.json(await retryJob({ ctx: domainContext(c), input: { jobId: c.req.valid("param").id } }), 200);
