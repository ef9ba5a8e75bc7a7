import { eq } from "drizzle-orm";
import { bookings, payments } from "../../db/schema/index.ts";
import { PaymentProviderError } from "../../ports.ts";
import { bookingNotFound } from "../bookings/booking-store.ts";
import { partyOf } from "../bookings/booking-view.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import { getPayment } from "./get-payment.ts";
import type { Payment } from "./payment-schemas.ts";
import { awaitsPayment } from "./vocabulary.ts";

/**
 * Simulated payments only: the guest's card pays (`succeed`) or is declined (`fail`), as Stripe's
 * test cards would, and the events that follow are delivered to the webhook's verb as Stripe
 * would post them; answers the payment once they are. Refused with a real Stripe key, and in
 * production.
 */
export async function simulatePayment({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { bookingId: string; outcome: "succeed" | "fail" };
}): Promise<Payment> {
  const actor = requireActor(ctx);
  const { simulation } = ctx.deps.payments;
  if (!simulation || ctx.deps.config.APP_ENV === "production") {
    throw new AppError(
      "NOT_FOUND",
      "Payments are not simulated here: pay with Stripe.js and the client secret.",
    );
  }
  const [booking] = await ctx.db.select().from(bookings).where(eq(bookings.id, input.bookingId)).limit(1);
  const party = booking ? partyOf(actor, booking) : undefined;
  if (!booking || party === undefined) throw bookingNotFound();
  if (party === "host") throw new AppError("FORBIDDEN", "Only the booking's guest pays for it.");
  const [payment] = await ctx.db.select().from(payments).where(eq(payments.bookingId, booking.id));
  if (!payment) {
    throw new AppError("INVALID_STATE", "The payment was not started: POST /v1/bookings/{id}/payment first.");
  }
  if (!awaitsPayment(payment.status)) {
    throw new AppError(
      "INVALID_STATE",
      `The payment is ${payment.status.replaceAll("_", " ")}: no card is awaited.`,
    );
  }
  try {
    await simulation.pay(payment.intentId, input.outcome);
  } catch (error) {
    // The intent moved on since the payment row was read (paid or cancelled meanwhile).
    if (error instanceof PaymentProviderError && error.kind === "refused") {
      throw new AppError("INVALID_STATE", "The payment is no longer waiting for a card.");
    }
    throw error;
  }
  return getPayment({ ctx, input: { bookingId: booking.id } });
}
