import { desc, isNotNull, ne } from "drizzle-orm";
import { payments, refunds } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { requireAdmin } from "../identity/authenticate.ts";
import { toRefund } from "./payment-view.ts";

const LIMIT = 100;

/**
 * What an admin must look at: payments whose Stripe amount or currency does not match their
 * booking (never confirmed, money held in suspense), and refunds not through yet, with their
 * last error. The most recently changed first.
 */
export async function listPaymentIssues({ ctx }: { ctx: DomainContext }) {
  requireAdmin(ctx);
  const flagged = await ctx.db
    .select()
    .from(payments)
    .where(isNotNull(payments.flag))
    .orderBy(desc(payments.updatedAt))
    .limit(LIMIT);
  const unsettled = await ctx.db
    .select()
    .from(refunds)
    .where(ne(refunds.status, "succeeded"))
    .orderBy(desc(refunds.updatedAt))
    .limit(LIMIT);
  return {
    flagged: flagged.map((row) => ({
      bookingId: row.bookingId,
      intentId: row.intentId,
      amount: row.amount,
      currency: row.currency,
      status: row.status,
      flag: row.flag ?? "",
      updatedAt: row.updatedAt.toISOString(),
    })),
    refunds: unsettled.map((row) => ({ bookingId: row.bookingId, ...toRefund(row) })),
  };
}
