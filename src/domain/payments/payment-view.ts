import type { payouts } from "../../db/schema/index.ts";
import type { PaymentIntent } from "../../ports.ts";
import type { Payment, Payout } from "./payment-schemas.ts";
import type { RefundRow } from "./payment-store.ts";
import { awaitsPayment } from "./vocabulary.ts";

type PayoutRow = typeof payouts.$inferSelect;

/** An intent as the API shows it: its client secret only to the guest, and only while it awaits payment. */
export function toPaymentIntent(
  intent: PaymentIntent,
  options: { showSecret: boolean },
): NonNullable<Payment["intent"]> {
  return {
    id: intent.id,
    status: intent.status,
    captureMethod: intent.captureMethod,
    clientSecret: options.showSecret && awaitsPayment(intent.status) ? intent.clientSecret : null,
  };
}

export function toRefund(row: RefundRow): Payment["refunds"][number] {
  return {
    id: row.id,
    cause: row.cause,
    amount: row.amount,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A payout; `owed` is what the ledger owes the host for the booking while it is not paid yet. */
export function toPayout(row: PayoutRow, owed: number): Payout {
  return {
    bookingId: row.bookingId,
    amount: row.status === "paid" ? (row.amount ?? 0) : Math.max(owed, 0),
    currency: row.currency,
    status: row.status,
    releaseAt: row.releaseAt.toISOString(),
    paidAt: row.paidAt?.toISOString() ?? null,
    transferId: row.transferId,
  };
}

export type { PayoutRow };
