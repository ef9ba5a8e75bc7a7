import { and, eq, lt } from "drizzle-orm";
import {
  idempotencyKeys,
  jobCompletions,
  jobFailures,
  outbox,
  passwordResetTokens,
  refreshTokens,
} from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";

/**
 * How long a completed job's id is remembered (a repeat is recognised): far longer than an outbox
 * lease or a Queues redelivery. Resolved failures, and outbox messages handed over, are kept as
 * long, for admins to look back on.
 */
export const JOB_RECORDS_DAYS = 14;

/** Periodic clean-up (cron on Workers, a timer on Node): drops records past their expiry. */
export async function sweepExpired({ ctx }: { ctx: DomainContext }) {
  const now = ctx.deps.clock.now();
  const jobsBefore = new Date(now.getTime() - JOB_RECORDS_DAYS * 86_400_000);
  const [keys, refresh, resets, completions, resolved, handed] = await Promise.all([
    ctx.db
      .delete(idempotencyKeys)
      .where(lt(idempotencyKeys.expiresAt, now))
      .returning({ key: idempotencyKeys.key }),
    ctx.db
      .delete(refreshTokens)
      .where(lt(refreshTokens.expiresAt, now))
      .returning({ hash: refreshTokens.tokenHash }),
    ctx.db
      .delete(passwordResetTokens)
      .where(lt(passwordResetTokens.expiresAt, now))
      .returning({ hash: passwordResetTokens.tokenHash }),
    ctx.db
      .delete(jobCompletions)
      .where(lt(jobCompletions.completedAt, jobsBefore))
      .returning({ id: jobCompletions.jobId }),
    ctx.db
      .delete(jobFailures)
      .where(and(eq(jobFailures.status, "resolved"), lt(jobFailures.resolvedAt, jobsBefore)))
      .returning({ id: jobFailures.jobId }),
    ctx.db.delete(outbox).where(lt(outbox.processedAt, jobsBefore)).returning({ id: outbox.id }),
  ]);
  return {
    idempotencyKeys: keys.length,
    refreshTokens: refresh.length,
    passwordResetTokens: resets.length,
    jobCompletions: completions.length,
    resolvedJobFailures: resolved.length,
    outboxMessages: handed.length,
  };
}
