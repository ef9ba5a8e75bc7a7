import { eq } from "drizzle-orm";
import { bookings, payments } from "../../db/schema/index.ts";
import { type PaymentIntent, PaymentProviderError } from "../../ports.ts";
import { bookingNotFound, invalidState, refuseRunOutHold } from "../bookings/booking-store.ts";
import { type BookingRow, partyOf } from "../bookings/booking-view.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { PaymentStart } from "./payment-schemas.ts";
import { recordPayment } from "./payment-store.ts";
import { toPaymentIntent } from "./payment-view.ts";

/**
 * The guest starts (or picks up again) paying for a booking that holds its dates: its one
 * PaymentIntent, for the quoted total, created on first call with a key derived from the booking
 * (a retry, or a second call, gets the same intent, never a second one). A request to book is
 * authorised only (`manual` capture), and charged when its host accepts. No transaction is open
 * while Stripe is called.
 */
export async function startPayment({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { bookingId: string };
}): Promise<PaymentStart> {
  const actor = requireActor(ctx);
  const [booking] = await ctx.db.select().from(bookings).where(eq(bookings.id, input.bookingId)).limit(1);
  const party = partyOf(actor, booking ?? { guestId: "", hostId: "" });
  if (!booking || party === undefined) throw bookingNotFound();
  if (party !== "guest") throw new AppError("FORBIDDEN", "Only the booking's guest pays for it.");
  if (booking.status !== "requested" && booking.status !== "pending_payment") {
    throw invalidState(booking, "paid for");
  }
  refuseRunOutHold(booking, ctx.deps.clock.now(), "paid for");
  const intent = await intentFor(ctx, booking);
  return {
    bookingId: booking.id,
    amount: booking.quote.total,
    currency: booking.quote.currency,
    intent: toPaymentIntent(intent, { showSecret: true }),
    holdExpiresAt: booking.holdExpiresAt?.toISOString() ?? null,
    simulated: ctx.deps.payments.simulation !== undefined,
  };
}

async function intentFor(ctx: DomainContext, booking: BookingRow): Promise<PaymentIntent> {
  const { payments: provider } = ctx.deps;
  const [known] = await ctx.db
    .select({ intentId: payments.intentId })
    .from(payments)
    .where(eq(payments.bookingId, booking.id))
    .limit(1);
  try {
    if (known) return await provider.getIntent(known.intentId);
    const intent = await provider.createIntent({
      amount: booking.quote.total,
      currency: booking.quote.currency,
      captureMethod: booking.status === "requested" ? "manual" : "automatic",
      bookingId: booking.id,
      idempotencyKey: `intent-${booking.id}`,
    });
    await recordPayment(ctx, booking, intent);
    return intent;
  } catch (error) {
    if (error instanceof PaymentProviderError && error.kind === "refused") {
      throw new AppError("PAYMENT_FAILED", `Stripe refused to start the payment: ${error.message}`);
    }
    throw error;
  }
}

/**
 * `startPayment` right after the booking committed, from its request: the booking stands even if
 * Stripe does not answer now (null); `POST /v1/bookings/{id}/payment` starts it then.
 */
export async function startPaymentAfter(ctx: DomainContext, bookingId: string): Promise<PaymentStart | null> {
  try {
    return await startPayment({ ctx, input: { bookingId } });
  } catch (error) {
    ctx.deps.logger.log("warn", "payment.start.failed", {
      bookingId,
      error: error instanceof Error ? error.name : "unknown",
    });
    return null;
  }
}
