import { eq, or } from "drizzle-orm";
import { payments, refunds } from "../../db/schema/index.ts";
import type { PaymentRefund } from "../../ports.ts";
import { lockBooking } from "../bookings/booking-store.ts";
import type { DomainContext } from "../context.ts";
import { recordRefund } from "./ledger.ts";

/**
 * Records a Stripe refund as it is now, in the caller's transaction: the app's own (found by its
 * Stripe id, or by the refund row named in its metadata when the app died before recording the
 * id), or one made in Stripe's dashboard for a booking's payment. A refund that succeeded enters
 * the ledger, once.
 */
export async function applyRefund(ctx: DomainContext, refund: PaymentRefund): Promise<string | null> {
  const [payment] = refund.intentId
    ? await ctx.db.select().from(payments).where(eq(payments.intentId, refund.intentId)).limit(1)
    : [];
  if (!payment) return null;
  const booking = await lockBooking(ctx, payment.bookingId);
  const now = ctx.deps.clock.now();
  const [mine] = await ctx.db
    .select()
    .from(refunds)
    .where(
      or(
        eq(refunds.stripeRefundId, refund.id),
        refund.refundId ? eq(refunds.id, refund.refundId) : undefined,
      ),
    )
    .limit(1)
    .for("update");
  if (mine?.status === "succeeded") return booking.id;
  // Seen already, or the failure of an attempt the row has moved on from: nothing changes.
  if (mine?.stripeRefundId === refund.id && mine.status === refund.status) return booking.id;
  if (mine?.stripeRefundId && mine.stripeRefundId !== refund.id && refund.status === "failed")
    return booking.id;
  const id = mine?.id ?? ctx.deps.ids.next();
  if (mine) {
    const failed = refund.status === "failed";
    await ctx.db
      .update(refunds)
      .set({
        stripeRefundId: refund.id,
        status: refund.status,
        attempts: failed ? mine.attempts + 1 : mine.attempts,
        lastError: failed ? "Stripe could not refund the payment" : mine.lastError,
        updatedAt: now,
      })
      .where(eq(refunds.id, id));
  } else {
    await ctx.db.insert(refunds).values({
      id,
      bookingId: booking.id,
      cause: "external",
      amount: refund.amount,
      currency: refund.currency,
      status: refund.status,
      stripeRefundId: refund.id,
      createdAt: now,
      updatedAt: now,
    });
  }
  if (refund.status === "succeeded") await recordRefund(ctx, booking, id, refund.amount);
  return booking.id;
}
