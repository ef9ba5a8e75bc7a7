import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import {
  captureMethods,
  intentStatuses,
  movements,
  payoutStatuses,
  refundCauses,
  refundStatuses,
} from "../../domain/payments/vocabulary.ts";
import { bookings } from "./bookings.ts";
import { users } from "./identity.ts";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** A booking's payment: its Stripe PaymentIntent as last seen, and what it should amount to. */
export const payments = pgTable(
  "payments",
  {
    bookingId: text("booking_id")
      .primaryKey()
      .references(() => bookings.id),
    intentId: text("intent_id").notNull().unique(),
    /** The booking's quoted total, in minor units of `currency`: what the intent must charge. */
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    captureMethod: text("capture_method", { enum: captureMethods }).notNull(),
    status: text("status", { enum: intentStatuses }).notNull(),
    /** The charge, once captured: refunds and the host's transfer refer to it. */
    chargeId: text("charge_id"),
    /** Set when Stripe's intent disagrees with the booking (amount, currency): an admin must look. */
    flag: text("flag"),
    createdAt: timestamptz("created_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
  },
  (t) => [
    index("payments_flagged_idx").on(t.updatedAt).where(sql`${t.flag} is not null`),
    check("payments_amount_check", sql`${t.amount} > 0`),
  ],
);

/** Money going back to a guest, through a Stripe refund made with this row's idempotency key. */
export const refunds = pgTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id),
    cause: text("cause", { enum: refundCauses }).notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: refundStatuses }).notNull(),
    stripeRefundId: text("stripe_refund_id").unique(),
    /** Failed attempts so far: each new attempt is a new Stripe refund, with its own key. */
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: timestamptz("created_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
  },
  (t) => [
    // One cancellation refund and one refund of an unconfirmed payment per booking, at most.
    uniqueIndex("refunds_one_per_cause_idx").on(t.bookingId, t.cause).where(sql`${t.cause} <> 'external'`),
    index("refunds_unsettled_idx").on(t.updatedAt).where(sql`${t.status} <> 'succeeded'`),
    check("refunds_amount_check", sql`${t.amount} > 0`),
  ],
);

/** A host's Stripe Express account, as its `account.updated` events describe it. */
export const hostAccounts = pgTable("host_accounts", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id),
  stripeAccountId: text("stripe_account_id").notNull().unique(),
  detailsSubmitted: boolean("details_submitted").notNull().default(false),
  payoutsEnabled: boolean("payouts_enabled").notNull().default(false),
  createdAt: timestamptz("created_at").notNull(),
  updatedAt: timestamptz("updated_at").notNull(),
});

/**
 * The host's share of a booking, transferred to their account at `releaseAt`. Until then its
 * amount is what the ledger owes the host for the booking (a cancellation lowers it); `amount`
 * is set when it is paid.
 */
export const payouts = pgTable(
  "payouts",
  {
    bookingId: text("booking_id")
      .primaryKey()
      .references(() => bookings.id),
    hostId: text("host_id")
      .notNull()
      .references(() => users.id),
    currency: text("currency").notNull(),
    releaseAt: timestamptz("release_at").notNull(),
    status: text("status", { enum: payoutStatuses }).notNull(),
    amount: integer("amount"),
    transferId: text("transfer_id").unique(),
    paidAt: timestamptz("paid_at"),
    createdAt: timestamptz("created_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
  },
  (t) => [
    index("payouts_host_idx").on(t.hostId, t.releaseAt, t.bookingId),
    index("payouts_due_idx").on(t.releaseAt).where(sql`${t.status} in ('scheduled', 'waiting_for_account')`),
  ],
);

/**
 * The append-only, double-entry ledger: each row moves `amount` from `credit` to `debit` (so each
 * balances by construction). Migration 0019 refuses updates and deletes. A movement is recorded
 * once: (movement, reference, debit, credit) is unique.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: text("id").primaryKey(),
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id),
    movement: text("movement", { enum: movements }).notNull(),
    /** What moved the money: the PaymentIntent, the refund row, the payout's booking. */
    reference: text("reference").notNull(),
    debit: text("debit").notNull(),
    credit: text("credit").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    at: timestamptz("at").notNull(),
  },
  (t) => [
    uniqueIndex("ledger_entries_once_idx").on(t.movement, t.reference, t.debit, t.credit),
    index("ledger_entries_booking_idx").on(t.bookingId, t.at),
    // A host's balance: what was credited to their account, and debited from it.
    index("ledger_entries_credit_idx").on(t.credit),
    index("ledger_entries_debit_idx").on(t.debit),
    check("ledger_entries_amount_check", sql`${t.amount} > 0`),
    check("ledger_entries_sides_check", sql`${t.debit} <> ${t.credit}`),
  ],
);

/** Each Stripe event id applied once: recorded in the transaction that applies it. */
export const paymentEvents = pgTable("payment_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  receivedAt: timestamptz("received_at").notNull(),
});
