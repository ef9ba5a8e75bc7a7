import { asc, eq } from "drizzle-orm";
import { bookings, ledgerEntries, payments, payouts, refunds } from "../../db/schema/index.ts";
import { bookingNotFound } from "../bookings/booking-store.ts";
import { partyOf } from "../bookings/booking-view.ts";
import type { DomainContext } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { Payment } from "./payment-schemas.ts";
import { toPaymentIntent, toPayout, toRefund } from "./payment-view.ts";
import { awaitsPayment, ledgerAccounts } from "./vocabulary.ts";

/**
 * A booking's money, for its guest, its host and admins: what was charged and refunded (from the
 * ledger), its refunds, and for the host and admins the platform's fees and the host's payout.
 * The client secret is the guest's, while the payment is still to be made.
 */
export async function getPayment({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { bookingId: string };
}): Promise<Payment> {
  const actor = requireActor(ctx);
  const [booking] = await ctx.db.select().from(bookings).where(eq(bookings.id, input.bookingId)).limit(1);
  const party = booking ? partyOf(actor, booking) : undefined;
  if (!booking || party === undefined) throw bookingNotFound();
  const [payment] = await ctx.db.select().from(payments).where(eq(payments.bookingId, booking.id));
  const entries = await ctx.db.select().from(ledgerEntries).where(eq(ledgerEntries.bookingId, booking.id));
  const sum = (match: (entry: (typeof entries)[number]) => boolean) =>
    entries.filter(match).reduce((total, entry) => total + entry.amount, 0);
  const charged = sum((e) => e.movement === "charge");
  const refunded = sum((e) => e.movement === "refund");
  const platform =
    sum((e) => e.credit === ledgerAccounts.platform) - sum((e) => e.debit === ledgerAccounts.platform);
  const owed =
    sum((e) => e.credit === ledgerAccounts.host(booking.hostId)) -
    sum((e) => e.debit === ledgerAccounts.host(booking.hostId));
  const refundRows = await ctx.db
    .select()
    .from(refunds)
    .where(eq(refunds.bookingId, booking.id))
    .orderBy(asc(refunds.createdAt));
  const [payout] = await ctx.db.select().from(payouts).where(eq(payouts.bookingId, booking.id));
  const hostSide = party !== "guest";
  let intent: Payment["intent"] = null;
  if (payment) {
    // Only the guest may pay, and only an unpaid intent has a secret worth showing: read it live.
    intent =
      party === "guest" && awaitsPayment(payment.status)
        ? toPaymentIntent(await ctx.deps.payments.getIntent(payment.intentId), { showSecret: true })
        : {
            id: payment.intentId,
            status: payment.status,
            captureMethod: payment.captureMethod,
            clientSecret: null,
          };
  }
  return {
    bookingId: booking.id,
    simulated: ctx.deps.payments.simulation !== undefined,
    amount: booking.quote.total,
    currency: booking.quote.currency,
    intent,
    charged,
    refunded,
    fees: hostSide ? platform : null,
    flag: party === "admin" ? (payment?.flag ?? null) : null,
    refunds: refundRows.map((row) => ({
      ...toRefund(row),
      lastError: party === "admin" ? row.lastError : null,
    })),
    payout: hostSide && payout ? toPayout(payout, owed) : null,
  };
}
