import { eq } from "drizzle-orm";
import { bookings, payments } from "../../db/schema/index.ts";
import type { PaymentIntent } from "../../ports.ts";
import { lockBooking, moveBooking } from "../bookings/booking-store.ts";
import type { BookingRow } from "../bookings/booking-view.ts";
import { keptOnCancellation } from "../bookings/cancelled-stay.ts";
import { confirmPayment } from "../bookings/confirm-payment.ts";
import type { DomainContext } from "../context.ts";
import { recordCharge, recordUnmatchedCharge } from "./ledger.ts";
import {
  lockPayment,
  type PaymentRow,
  recordPayment,
  requestRefund,
  schedulePayout,
} from "./payment-store.ts";

const system = { role: "system" as const };

/** How the history of a booking that ended on a declined card begins its reason (mails tell it apart). */
export const PAYMENT_FAILED = "the payment failed";

/**
 * Brings a booking in line with its PaymentIntent as Stripe has it now, in the caller's
 * transaction. Events come late, twice and out of order, so this reads no event: only the
 * intent's current state, and what the booking already recorded. Applying it again changes
 * nothing. Calls to Stripe that follow (capture, release, refunds) are `settlePayment`'s.
 * Answers the booking it pays for, or null when it pays for none of this app's.
 */
export async function applyIntent(ctx: DomainContext, intent: PaymentIntent): Promise<string | null> {
  const [known] = await ctx.db
    .select({ bookingId: payments.bookingId })
    .from(payments)
    .where(eq(payments.intentId, intent.id))
    .limit(1);
  const bookingId = known?.bookingId ?? intent.bookingId;
  if (!bookingId) return null;
  const [exists] = await ctx.db.select({ id: bookings.id }).from(bookings).where(eq(bookings.id, bookingId));
  if (!exists) return null;
  // The booking's lock first, as every booking change takes it.
  const booking = await lockBooking(ctx, bookingId);
  // An intent created but not recorded (the request died between the two) is recorded now.
  if (!known) await recordPayment(ctx, booking, intent);
  const payment = await lockPayment(ctx, bookingId);
  if (payment?.intentId !== intent.id) return null;
  const now = ctx.deps.clock.now();
  const kept = await keptOnCancellation(ctx, booking);
  const mismatch = mismatchOf(payment, intent, kept);
  const lapsed = intent.status === "canceled" ? lapseOf(booking, kept) : null;
  await ctx.db
    .update(payments)
    .set({
      status: intent.status,
      chargeId: intent.chargeId ?? payment.chargeId,
      flag: payment.flag ?? mismatch ?? lapsed,
      updatedAt: now,
    })
    .where(eq(payments.bookingId, bookingId));

  if (mismatch ?? payment.flag) {
    // Never confirms; the money Stripe took waits in suspense for an admin.
    if (intent.status === "succeeded") {
      await recordUnmatchedCharge(ctx, booking, intent.id, intent.amountReceived);
    }
    ctx.deps.logger.log("warn", "payment.mismatch", { bookingId, intent: intent.id });
    return bookingId;
  }

  switch (intent.status) {
    case "succeeded":
      await applySucceeded(ctx, booking, intent, kept);
      break;
    case "requires_capture":
      if (booking.status === "requested" || booking.status === "pending_payment") {
        await payOrExpire(ctx, booking, intent);
      }
      break;
    case "canceled":
      if (lapsed) await lapse(ctx, booking);
      else await release(ctx, booking, "the payment was canceled");
      break;
    case "requires_payment_method":
      if (intent.failure) await release(ctx, booking, `${PAYMENT_FAILED}: ${intent.failure}`);
      break;
    default:
      break;
  }
  return bookingId;
}

/**
 * Stripe's amount against the booking's: the total, or for a stay cancelled before its capture went
 * through, the total or what the cancellation keeps (`kept`, captured alone).
 */
function mismatchOf(payment: PaymentRow, intent: PaymentIntent, kept: number | undefined): string | null {
  if (intent.currency !== payment.currency) {
    return `Stripe's intent is in ${intent.currency}; the booking in ${payment.currency}.`;
  }
  if (intent.amount !== payment.amount)
    return `Stripe's intent is for ${intent.amount}; the booking for ${payment.amount}.`;
  const received = intent.amountReceived;
  if (intent.status === "succeeded" && received !== payment.amount && received !== kept)
    return `Stripe charged ${received} of the intent's ${intent.amount}; the booking owes ${kept ?? payment.amount}.`;
  return null;
}

/**
 * An authorisation Stripe canceled while the booking still counted on it (confirmed, or cancelled
 * keeping part of it): it lapsed uncaptured (7 days after the card was authorised), and nothing
 * was charged. Admins see it among the payment issues.
 */
function lapseOf(booking: BookingRow, kept: number | undefined): string | null {
  const counted =
    booking.paymentAuthorizedAt !== null &&
    (booking.status === "confirmed" || booking.status === "completed" || (kept ?? 0) > 0);
  return counted
    ? "Stripe canceled the authorisation before it was captured: nothing was charged for this stay, and the host gets no payout."
    : null;
}

/** Nothing was charged: a cancelled stay refunds nothing (the mail and the payout read it so). */
async function lapse(ctx: DomainContext, booking: BookingRow) {
  ctx.deps.logger.log("warn", "payment.authorisation.lapsed", { bookingId: booking.id });
  if (booking.status !== "cancelled") return;
  await ctx.db
    .update(bookings)
    .set({ refundDue: 0, updatedAt: ctx.deps.clock.now() })
    .where(eq(bookings.id, booking.id));
}

async function applySucceeded(
  ctx: DomainContext,
  booking: BookingRow,
  intent: PaymentIntent,
  kept: number | undefined,
) {
  let current = booking;
  if (booking.status === "requested" || booking.status === "pending_payment") {
    current = await payOrExpire(ctx, booking, intent);
  }
  await recordCharge(ctx, current, intent.id, intent.amountReceived);
  const paidFor = current.paymentAuthorizedAt !== null;
  // A stay cancelled once confirmed pays its host their share of what the cancellation kept.
  const stayed = current.status === "confirmed" || current.status === "completed" || kept !== undefined;
  if (paidFor && stayed) {
    await schedulePayout(ctx, current);
  } else if (!paidFor) {
    // The booking ended before its payment came: never a charge without a stay.
    await requestRefund(ctx, current, "unconfirmed_payment", intent.amountReceived);
  }
}

/**
 * A payment within the hold confirms the booking (or, for a request, stands ready for the host's
 * answer); after the hold ran out, the booking expires and its dates stay free.
 */
async function payOrExpire(
  ctx: DomainContext,
  booking: BookingRow,
  intent: PaymentIntent,
): Promise<BookingRow> {
  if (booking.holdExpiresAt && booking.holdExpiresAt <= ctx.deps.clock.now()) {
    return moveBooking(ctx, booking, {
      to: "expired",
      by: system,
      reason: "the payment came after the hold ran out",
    });
  }
  await confirmPayment({ ctx, input: { bookingId: booking.id, reference: intent.id } });
  return lockBooking(ctx, booking.id);
}

async function release(ctx: DomainContext, booking: BookingRow, reason: string) {
  if (booking.status === "requested" || booking.status === "pending_payment") {
    await moveBooking(ctx, booking, { to: "expired", by: system, reason });
  }
}
