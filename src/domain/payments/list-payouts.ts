import { and, desc, eq } from "drizzle-orm";
import { hostAccounts, payouts } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import { afterNewestFirst, type NewestFirstPosition, newestFirstPage } from "../pagination.ts";
import { owedToHostBy } from "./ledger.ts";
import { toPayout } from "./payment-view.ts";

/**
 * The caller's payouts as a host, newest first (keyset on createdAt, booking id), with their
 * connected account's state and their balance: what is owed to them and not paid yet, per
 * currency (it waits for a payouts-enabled account, or for the payouts' release).
 */
export async function listPayouts({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { limit: number; after?: NewestFirstPosition | undefined };
}) {
  const actor = requireActor(ctx);
  const rows = await ctx.db
    .select({ payout: payouts, createdAt: payouts.createdAt, id: payouts.bookingId })
    .from(payouts)
    .where(
      and(
        eq(payouts.hostId, actor.userId),
        afterNewestFirst(payouts.createdAt, payouts.bookingId, input.after),
      ),
    )
    .orderBy(desc(payouts.createdAt), desc(payouts.bookingId))
    .limit(input.limit + 1);
  const owed = await owedToHostBy(
    ctx,
    actor.userId,
    rows.map((row) => row.id),
  );
  const page = newestFirstPage(rows, input.limit, ({ payout }) =>
    toPayout(payout, owed.byBooking.get(payout.bookingId) ?? 0),
  );
  const [account] = await ctx.db.select().from(hostAccounts).where(eq(hostAccounts.userId, actor.userId));
  return {
    ...page,
    account: {
      connected: account !== undefined,
      detailsSubmitted: account?.detailsSubmitted ?? false,
      payoutsEnabled: account?.payoutsEnabled ?? false,
    },
    balance: [...owed.byCurrency].map(([currency, amount]) => ({ currency, owed: Math.max(amount, 0) })),
  };
}
