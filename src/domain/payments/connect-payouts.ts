import { eq } from "drizzle-orm";
import type { z } from "zod";
import { hostAccounts, users } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { onboardingLinkSchema } from "./payment-schemas.ts";

/**
 * A host connects a Stripe Express account to be paid: the account is created once (its key is
 * derived from the user, so a retry makes no second one) and each call answers a fresh onboarding
 * link, which Stripe lets live a few minutes. The account's state then arrives by `account.updated`
 * (with simulated payments, onboarding completes at once).
 */
export async function connectPayouts({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { returnUrl: string; refreshUrl: string };
}): Promise<z.output<typeof onboardingLinkSchema>> {
  const actor = requireActor(ctx);
  const { payments } = ctx.deps;
  let [account] = await ctx.db.select().from(hostAccounts).where(eq(hostAccounts.userId, actor.userId));
  if (!account) {
    const [user] = await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, actor.userId));
    const created = await payments.createAccount({
      userId: actor.userId,
      email: user?.email ?? "",
      idempotencyKey: `account-${actor.userId}`,
    });
    const now = ctx.deps.clock.now();
    [account] = await ctx.db
      .insert(hostAccounts)
      .values({
        userId: actor.userId,
        stripeAccountId: created.id,
        detailsSubmitted: created.detailsSubmitted,
        payoutsEnabled: created.payoutsEnabled,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({ target: hostAccounts.userId, set: { updatedAt: now } })
      .returning();
  }
  if (!account) throw new Error("upsert returned no row");
  if (payments.simulation) {
    // Nobody can fill in a simulated Stripe form: the simulated host completes it at once.
    await payments.simulation.completeOnboarding(account.stripeAccountId);
    [account = account] = await ctx.db
      .select()
      .from(hostAccounts)
      .where(eq(hostAccounts.userId, actor.userId));
  }
  const link = await payments.onboardingLink({
    accountId: account.stripeAccountId,
    returnUrl: input.returnUrl,
    refreshUrl: input.refreshUrl,
  });
  return {
    url: link.url,
    expiresAt: link.expiresAt.toISOString(),
    account: {
      connected: true,
      detailsSubmitted: account.detailsSubmitted,
      payoutsEnabled: account.payoutsEnabled,
    },
    simulated: payments.simulation !== undefined,
  };
}
