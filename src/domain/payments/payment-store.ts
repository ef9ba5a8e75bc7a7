import { eq } from "drizzle-orm";
import { listings, payments, payouts, refunds } from "../../db/schema/index.ts";
import type { PaymentIntent } from "../../ports.ts";
import type { BookingRow } from "../bookings/booking-view.ts";
import { zonedInstant } from "../bookings/local-time.ts";
import type { DomainContext } from "../context.ts";
import type { RefundCause } from "./vocabulary.ts";

const HOUR_MS = 3_600_000;

export type PaymentRow = typeof payments.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;

/** The booking's payment, locked until the transaction ends (lock the booking first). */
export async function lockPayment(ctx: DomainContext, bookingId: string): Promise<PaymentRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(payments)
    .where(eq(payments.bookingId, bookingId))
    .limit(1)
    .for("update");
  return row;
}

/**
 * Records the booking's PaymentIntent, which must charge the booking's quoted total. The request
 * that created it and a webhook about it may both record it: the first row stands.
 */
export async function recordPayment(
  ctx: DomainContext,
  booking: BookingRow,
  intent: PaymentIntent,
): Promise<void> {
  const now = ctx.deps.clock.now();
  await ctx.db
    .insert(payments)
    .values({
      bookingId: booking.id,
      intentId: intent.id,
      amount: booking.quote.total,
      currency: booking.quote.currency,
      captureMethod: intent.captureMethod,
      status: intent.status,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
}

/** Asks for money back to the guest; issued to Stripe after the transaction. Once per cause. */
export async function requestRefund(
  ctx: DomainContext,
  booking: BookingRow,
  cause: RefundCause,
  amount: number,
): Promise<void> {
  if (amount <= 0) return;
  const now = ctx.deps.clock.now();
  await ctx.db
    .insert(refunds)
    .values({
      id: ctx.deps.ids.next(),
      bookingId: booking.id,
      cause,
      amount,
      currency: booking.quote.currency,
      status: "pending",
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
}

/** The host's share of a paid booking, due a day (PAYOUT_DELAY_HOURS) after check-in where the listing is. */
export async function schedulePayout(ctx: DomainContext, booking: BookingRow): Promise<void> {
  const [listing] = await ctx.db
    .select({ timezone: listings.timezone, checkInTime: listings.checkInTime })
    .from(listings)
    .where(eq(listings.id, booking.listingId))
    .limit(1);
  if (!listing) return;
  const checkIn = zonedInstant(booking.checkIn, listing.checkInTime, listing.timezone);
  const now = ctx.deps.clock.now();
  await ctx.db
    .insert(payouts)
    .values({
      bookingId: booking.id,
      hostId: booking.hostId,
      currency: booking.quote.currency,
      releaseAt: new Date(checkIn.getTime() + ctx.deps.config.PAYOUT_DELAY_HOURS * HOUR_MS),
      status: "scheduled",
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
}
