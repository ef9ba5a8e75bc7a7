import { and, eq, ne } from "drizzle-orm";
import { refunds } from "../../db/schema/index.ts";
import { type PaymentIntent, PaymentProviderError } from "../../ports.ts";
import { lockBooking } from "../bookings/booking-store.ts";
import { keptOnCancellation } from "../bookings/cancelled-stay.ts";
import { endedStatuses } from "../bookings/vocabulary.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { applyIntent } from "./apply-intent.ts";
import { applyRefund } from "./apply-refund.ts";
import { chargedFor } from "./ledger.ts";
import { lockPayment, type PaymentRow, type RefundRow, requestRefund } from "./payment-store.ts";
import { isUncaptured } from "./vocabulary.ts";

/**
 * Does what a booking's state asks of its payment, with Stripe, outside any transaction: capture a
 * request's authorisation once its host accepted (or, cancelled before that went through, what the
 * cancellation policy keeps of it), release it when the booking ended unpaid, and send the refunds
 * it is owed. Each call to Stripe carries an idempotency key derived from the
 * booking or the refund row, so running this twice, or after a crash half-way, moves no money
 * twice. Run after each booking change, for each webhook, and by the tick for what failed.
 */
export async function settlePayment({
  ctx,
  input,
}: {
  ctx: DomainContext;
  /** `retryFailed`: the tick's; a refund Stripe failed is not tried again for each event its failure sends. */
  input: { bookingId: string; retryFailed?: boolean };
}) {
  const plan = await withTransaction(ctx, async (ctx) => {
    const booking = await lockBooking(ctx, input.bookingId);
    const payment = await lockPayment(ctx, booking.id);
    if (!payment || payment.flag) return undefined;
    // A stay called off once paid for keeps what the policy keeps; the rest of the charge goes back.
    const kept = await keptOnCancellation(ctx, booking);
    if (kept !== undefined && payment.status === "succeeded") {
      await requestRefund(ctx, booking, "cancellation", (await chargedFor(ctx, booking.id)) - kept);
    }
    const open = await ctx.db
      .select()
      .from(refunds)
      .where(and(eq(refunds.bookingId, booking.id), ne(refunds.status, "succeeded")));
    return { booking, payment, open, kept };
  });
  if (!plan) return;
  const { booking, payment, open, kept } = plan;
  const keyed = (action: string) => `${action}-${booking.id}`;
  const { payments } = ctx.deps;
  if (payment.status === "requires_capture" && booking.status === "confirmed") {
    await apply(ctx, payment.intentId, () => payments.captureIntent(payment.intentId, keyed("capture")));
  } else if (payment.status === "requires_capture" && kept !== undefined && kept > 0) {
    // Cancelled before its capture went through: only what the policy keeps is charged, and the
    // rest of the authorisation is released with it. Its own key: the amount differs.
    await apply(ctx, payment.intentId, () =>
      payments.captureIntent(payment.intentId, keyed("capture-kept"), kept),
    );
  } else if (isUncaptured(payment.status) && endedStatuses.includes(booking.status)) {
    await apply(ctx, payment.intentId, () => payments.cancelIntent(payment.intentId, keyed("release")));
  }
  for (const refund of open) {
    if (refund.status !== "failed" || input.retryFailed) await issueRefund(ctx, payment, refund);
  }
}

/**
 * Records what a capture or a release left of the intent. When Stripe refuses it, the intent
 * moved meanwhile (the guest paid as the booking ended): its current state is recorded instead,
 * and a payment for a booking that ended is refunded from there.
 */
async function apply(ctx: DomainContext, intentId: string, call: () => Promise<PaymentIntent>) {
  let intent: PaymentIntent;
  let moved = false;
  try {
    intent = await call();
  } catch (error) {
    if (!(error instanceof PaymentProviderError) || error.kind !== "refused") throw error;
    intent = await ctx.deps.payments.getIntent(intentId);
    moved = true;
  }
  const bookingId = await withTransaction(ctx, (ctx) => applyIntent(ctx, intent));
  // What the intent's new state asks for in turn (a refund); it asks no capture or release again.
  if (moved && bookingId) await settlePayment({ ctx, input: { bookingId } });
}

/**
 * Sends one refund to Stripe, or reads again one Stripe holds as pending. The key names the row
 * and its attempt: a retry after a crash gets Stripe's first answer, and only a refund Stripe
 * reported failed is tried anew, as a new attempt.
 */
async function issueRefund(ctx: DomainContext, payment: PaymentRow, refund: RefundRow) {
  const { payments } = ctx.deps;
  try {
    const result =
      refund.status === "pending" && refund.stripeRefundId
        ? await payments.getRefund(refund.stripeRefundId)
        : await payments.refund({
            intentId: payment.intentId,
            amount: refund.amount,
            bookingId: refund.bookingId,
            refundId: refund.id,
            idempotencyKey: `refund-${refund.id}-${refund.attempts}`,
          });
    if (result.status === "failed" && result.id !== refund.stripeRefundId) {
      // Stripe's answer to this attempt's key: the attempt failed, and the next one needs a new key.
      await failAttempt(ctx, refund, "Stripe could not refund the payment", result.id);
    } else {
      await withTransaction(ctx, (ctx) => applyRefund(ctx, result));
    }
  } catch (error) {
    if (!(error instanceof PaymentProviderError) || error.kind !== "refused") throw error;
    // Stripe will not do it as asked (e.g. more than is left to refund): an admin must look.
    await failAttempt(ctx, refund, error.message, refund.stripeRefundId);
  }
}

/** Counts a failed attempt once, however many settlers saw it fail. */
async function failAttempt(
  ctx: DomainContext,
  refund: RefundRow,
  error: string,
  stripeRefundId: string | null,
) {
  await ctx.db
    .update(refunds)
    .set({
      status: "failed",
      stripeRefundId,
      attempts: refund.attempts + 1,
      lastError: error.slice(0, 500),
      updatedAt: ctx.deps.clock.now(),
    })
    .where(
      and(eq(refunds.id, refund.id), eq(refunds.attempts, refund.attempts), ne(refunds.status, "succeeded")),
    );
}

/**
 * `settlePayment` right after a change, from a request: Stripe not answering must not undo the
 * change the request made. The outbox's `booking.changed` job and the tick try again.
 */
export async function settlePaymentAfter(ctx: DomainContext, bookingId: string): Promise<void> {
  try {
    await settlePayment({ ctx, input: { bookingId } });
  } catch (error) {
    ctx.deps.logger.log("warn", "payment.settle.failed", {
      bookingId,
      error: error instanceof Error ? error.name : "unknown",
    });
  }
}
