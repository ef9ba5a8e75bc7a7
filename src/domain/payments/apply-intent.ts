import { eq } from "drizzle-orm";
import { bookings, payments } from "../../db/schema/index.ts";
import type { PaymentIntent } from "../../ports.ts";
import { lockBooking, moveBooking } from "../bookings/booking-store.ts";
import type { BookingRow } from "../bookings/booking-view.ts";
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
  const mismatch = mismatchOf(payment, intent);
  await ctx.db
    .update(payments)
    .set({
      status: intent.status,
      chargeId: intent.chargeId ?? payment.chargeId,
      flag: payment.flag ?? mismatch,
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
      await applySucceeded(ctx, booking, intent);
      break;
    case "requires_capture":
      if (booking.status === "requested" || booking.status === "pending_payment") {
        await payOrExpire(ctx, booking, intent);
      }
      break;
    case "canceled":
      await release(ctx, booking, "the payment was canceled");
      break;
    case "requires_payment_method":
      if (intent.failure) await release(ctx, booking, `${PAYMENT_FAILED}: ${intent.failure}`);
      break;
    default:
      break;
  }
  return bookingId;
}

function mismatchOf(payment: PaymentRow, intent: PaymentIntent): string | null {
  if (intent.currency !== payment.currency) {
    return `Stripe's intent is in ${intent.currency}; the booking in ${payment.currency}.`;
  }
  const amount = intent.status === "succeeded" ? intent.amountReceived : intent.amount;
  if (amount !== payment.amount)
    return `Stripe's intent is for ${amount}; the booking for ${payment.amount}.`;
  return null;
}

async function applySucceeded(ctx: DomainContext, booking: BookingRow, intent: PaymentIntent) {
  let current = booking;
  if (booking.status === "requested" || booking.status === "pending_payment") {
    current = await payOrExpire(ctx, booking, intent);
  }
  await recordCharge(ctx, current, intent.id, intent.amountReceived);
  const paidFor = current.paymentAuthorizedAt !== null;
  if (paidFor && (current.status === "confirmed" || current.status === "completed")) {
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
