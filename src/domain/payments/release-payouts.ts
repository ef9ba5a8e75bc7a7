import { and, asc, eq, inArray, lte, ne, notExists } from "drizzle-orm";
import { bookings, hostAccounts, payments, payouts, refunds } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { owedToHost, recordPayout } from "./ledger.ts";

const BATCH = 20;

/**
 * Pays hosts their share once it is due (a day after check-in): what the ledger still owes them
 * for the booking (a cancellation before then lowers it, or leaves nothing), transferred from
 * the guest's charge to the host's connected account with a key per payout, so a retry after a
 * crash transfers nothing twice. A host without a payouts-enabled account keeps a balance, paid
 * by the first run after they connect. Run by the periodic tick.
 */
export async function releasePayouts({
  ctx,
}: {
  ctx: DomainContext;
}): Promise<{ paid: number; waiting: number }> {
  const now = ctx.deps.clock.now();
  const due = await ctx.db
    .select({
      payout: payouts,
      booking: bookings,
      chargeId: payments.chargeId,
      accountId: hostAccounts.stripeAccountId,
      enabled: hostAccounts.payoutsEnabled,
    })
    .from(payouts)
    .innerJoin(bookings, eq(bookings.id, payouts.bookingId))
    .innerJoin(payments, eq(payments.bookingId, payouts.bookingId))
    .leftJoin(hostAccounts, eq(hostAccounts.userId, payouts.hostId))
    .where(
      and(
        inArray(payouts.status, ["scheduled", "waiting_for_account"]),
        lte(payouts.releaseAt, now),
        // A refund not through yet still lowers what the host is owed: the payout waits for it.
        notExists(
          ctx.db
            .select({ id: refunds.id })
            .from(refunds)
            .where(and(eq(refunds.bookingId, payouts.bookingId), ne(refunds.status, "succeeded"))),
        ),
      ),
    )
    .orderBy(asc(payouts.releaseAt))
    .limit(BATCH);
  let paid = 0;
  let waiting = 0;
  for (const { payout, booking, chargeId, accountId, enabled } of due) {
    const owed = await owedToHost(ctx, booking);
    if (owed <= 0) {
      await mark(ctx, payout.bookingId, { status: "cancelled" });
      continue;
    }
    if (!accountId || !enabled || !chargeId) {
      if (payout.status !== "waiting_for_account")
        await mark(ctx, payout.bookingId, { status: "waiting_for_account" });
      waiting++;
      continue;
    }
    const transfer = await ctx.deps.payments.transfer({
      amount: owed,
      currency: payout.currency,
      accountId,
      chargeId,
      bookingId: payout.bookingId,
      idempotencyKey: `payout-${payout.bookingId}`,
    });
    await withTransaction(ctx, async (ctx) => {
      await recordPayout(ctx, booking, owed);
      await mark(ctx, payout.bookingId, {
        status: "paid",
        amount: owed,
        transferId: transfer.id,
        paidAt: ctx.deps.clock.now(),
      });
    });
    paid++;
  }
  return { paid, waiting };
}

async function mark(ctx: DomainContext, bookingId: string, set: Partial<typeof payouts.$inferInsert>) {
  await ctx.db
    .update(payouts)
    .set({ ...set, updatedAt: ctx.deps.clock.now() })
    .where(eq(payouts.bookingId, bookingId));
}
