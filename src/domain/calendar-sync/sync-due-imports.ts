import { asc, inArray, lte } from "drizzle-orm";
import { calendarImports } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { topics } from "../outbox/topics.ts";

const BATCH = 25;
/** How long a claimed import waits for its job before another tick may claim it again. */
export const SYNC_LEASE_MS = 10 * 60_000;

/**
 * The periodic tick's part: claims the imports due for a fetch (`SKIP LOCKED`, so concurrent
 * ticks never claim the same), pushes each one's next fetch a lease ahead, and hands each to the
 * jobs port, which fetches it outside any transaction. A job that never runs leaves its lease to
 * run out, and a later tick claims that import again.
 */
export async function syncDueImports({ ctx }: { ctx: DomainContext }): Promise<number> {
  const now = ctx.deps.clock.now();
  const due = await withTransaction(ctx, async (ctx) => {
    const rows = await ctx.db
      .select({ id: calendarImports.id })
      .from(calendarImports)
      .where(lte(calendarImports.nextFetchAt, now))
      .orderBy(asc(calendarImports.nextFetchAt), asc(calendarImports.id))
      .limit(BATCH)
      .for("update", { skipLocked: true });
    if (rows.length > 0) {
      await ctx.db
        .update(calendarImports)
        .set({ nextFetchAt: new Date(now.getTime() + SYNC_LEASE_MS) })
        .where(
          inArray(
            calendarImports.id,
            rows.map((row) => row.id),
          ),
        );
    }
    return rows;
  });
  for (const { id } of due) {
    await ctx.deps.jobs.enqueue({ topic: topics.syncCalendarImport, payload: { importId: id } });
  }
  return due.length;
}
