import { and, desc, eq } from "drizzle-orm";
import { jobFailures } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { requireAdmin } from "../identity/authenticate.ts";
import { afterNewestFirst, type KeysetPage, type NewestFirstPosition } from "../pagination.ts";
import type { FailedJob } from "./failed-job-schemas.ts";
import { failedJobView } from "./failed-job-view.ts";
import type { JobFailureStatus } from "./vocabulary.ts";

export interface ListFailedJobsInput {
  limit: number;
  /** The (lastFailedAt, jobId) of the last job of the previous page. */
  after?: NewestFirstPosition | undefined;
  topic?: string | undefined;
  status?: JobFailureStatus | undefined;
}

/**
 * Admins only. Failed jobs, the latest failure first, keyset-paginated on (lastFailedAt, jobId),
 * by topic and status if asked.
 */
export async function listFailedJobs({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: ListFailedJobsInput;
}): Promise<KeysetPage<FailedJob, NewestFirstPosition>> {
  requireAdmin(ctx);
  const rows = await ctx.db
    .select()
    .from(jobFailures)
    .where(
      and(
        input.status ? eq(jobFailures.status, input.status) : undefined,
        input.topic ? eq(jobFailures.topic, input.topic) : undefined,
        afterNewestFirst(jobFailures.lastFailedAt, jobFailures.jobId, input.after),
      ),
    )
    .orderBy(desc(jobFailures.lastFailedAt), desc(jobFailures.jobId))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const positions = page.map((row) => ({ createdAt: row.lastFailedAt, id: row.jobId }));
  const last = positions.at(-1);
  const items = page.map(failedJobView);
  return rows.length > input.limit && last ? { items, positions, next: last } : { items, positions };
}
