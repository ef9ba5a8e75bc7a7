import { and, eq, gt, inArray, isNotNull, isNull, lte, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { bookings, payments, refunds } from "../../db/schema/index.ts";
import { endedStatuses } from "../bookings/vocabulary.ts";
import type { DomainContext } from "../context.ts";
import { settlePayment } from "./settle-payment.ts";
import { uncapturedStatuses } from "./vocabulary.ts";

const BATCH = 50;

/**
 * The periodic tick's part in payments: every booking whose payment still owes Stripe a call
 * (an authorisation to capture, in part for a stay cancelled meanwhile, or to release; a refund to
 * send, one Stripe refused to try again)
 * gets `settlePayment`; what failed stays due for the next tick, in sight of admins meanwhile.
 */
export async function settleDuePayments({
  ctx,
}: {
  ctx: DomainContext;
}): Promise<{ settled: number; failed: number }> {
  const now = ctx.deps.clock.now();
  const cancellation = alias(refunds, "cancellation");
  const due = await ctx.db
    .selectDistinct({ bookingId: payments.bookingId })
    .from(payments)
    .innerJoin(bookings, eq(bookings.id, payments.bookingId))
    .leftJoin(
      refunds,
      and(
        eq(refunds.bookingId, payments.bookingId),
        ne(refunds.status, "succeeded"),
        // A refund Stripe failed waits 2, 4, 8 … minutes (at most about 17 hours) after each attempt.
        or(
          ne(refunds.status, "failed"),
          lte(
            sql`${refunds.updatedAt} + interval '1 minute' * power(2, least(${refunds.attempts}, 10))`,
            now,
          ),
        ),
      ),
    )
    .leftJoin(
      cancellation,
      and(eq(cancellation.bookingId, payments.bookingId), eq(cancellation.cause, "cancellation")),
    )
    .where(
      and(
        isNull(payments.flag),
        or(
          isNotNull(refunds.id),
          and(eq(payments.status, "requires_capture"), eq(bookings.status, "confirmed")),
          and(inArray(payments.status, uncapturedStatuses), inArray(bookings.status, endedStatuses)),
          and(
            eq(bookings.status, "cancelled"),
            eq(payments.status, "succeeded"),
            gt(bookings.refundDue, 0),
            isNull(cancellation.id),
            // Unless only what the cancellation keeps was captured: nothing is left to refund.
            sql`${bookings.refundDue} > ${payments.amount} - (select coalesce(sum(l.amount), 0)
              from ledger_entries l where l.booking_id = ${payments.bookingId} and l.movement = 'charge')`,
          ),
        ),
      ),
    )
    .limit(BATCH);
  let failed = 0;
  for (const { bookingId } of due) {
    try {
      await settlePayment({ ctx, input: { bookingId, retryFailed: true } });
    } catch (error) {
      failed++;
      ctx.deps.logger.log("warn", "payment.settle.failed", {
        bookingId,
        error: error instanceof Error ? error.name : "unknown",
      });
    }
  }
  return { settled: due.length - failed, failed };
}
