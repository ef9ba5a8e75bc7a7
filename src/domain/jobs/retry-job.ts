import { and, eq } from "drizzle-orm";
import { jobFailures } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireAdmin } from "../identity/authenticate.ts";
import type { FailedJob } from "./failed-job-schemas.ts";
import { failedJobView } from "./failed-job-view.ts";

/**
 * Admins send a dead job again, under its own id, through the jobs port (whichever engine runs
 * jobs): it starts a new run with all its attempts. Only a dead job: one still retrying runs again
 * by itself, one resolved is done. Marked `retried` first, so a failure or completion of the new run
 * is what the row says next; if the jobs port refuses it, it is dead again and the answer is 503.
 */
export async function retryJob({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { jobId: string };
}): Promise<FailedJob> {
  const admin = requireAdmin(ctx);
  const row = await withTransaction(ctx, async (ctx) => {
    const [current] = await ctx.db
      .select()
      .from(jobFailures)
      .where(eq(jobFailures.jobId, input.jobId))
      .for("update");
    if (!current) throw new AppError("NOT_FOUND", "No failed job with this id.");
    if (current.status !== "dead") {
      throw new AppError(
        "INVALID_STATE",
        `This job is ${current.status}, not dead: only a dead job can be retried.`,
      );
    }
    const [retried] = await ctx.db
      .update(jobFailures)
      .set({ status: "retried", retriedAt: ctx.deps.clock.now(), retriedBy: admin.userId })
      .where(eq(jobFailures.jobId, input.jobId))
      .returning();
    return retried ?? current;
  });
  try {
    await ctx.deps.jobs.enqueue({ id: row.jobId, topic: row.topic, payload: row.payload });
  } catch (error) {
    await ctx.db
      .update(jobFailures)
      .set({ status: "dead" })
      .where(and(eq(jobFailures.jobId, row.jobId), eq(jobFailures.status, "retried")));
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      "The job queue did not take the job; it is still dead. Retry shortly.",
      {
        cause: error,
        headers: { "Retry-After": "5" },
      },
    );
  }
  return failedJobView(row);
}
