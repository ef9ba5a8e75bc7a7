import { eq } from "drizzle-orm";
import { hostAccounts } from "../../db/schema/index.ts";
import type { ConnectedAccount } from "../../ports.ts";
import type { DomainContext } from "../context.ts";

/**
 * A host's connected account as Stripe has it now (from `account.updated`), in the caller's
 * transaction. False when no host of this app has that account.
 */
export async function applyAccount(ctx: DomainContext, account: ConnectedAccount): Promise<boolean> {
  const updated = await ctx.db
    .update(hostAccounts)
    .set({
      detailsSubmitted: account.detailsSubmitted,
      payoutsEnabled: account.payoutsEnabled,
      updatedAt: ctx.deps.clock.now(),
    })
    .where(eq(hostAccounts.stripeAccountId, account.id))
    .returning({ userId: hostAccounts.userId });
  return updated.length > 0;
}
