import { and, eq, or, sql } from "drizzle-orm";
import { ledgerEntries } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { ledgerAccounts, type Movement } from "./vocabulary.ts";

/**
 * The double-entry ledger. Each entry moves an amount from one account (`credit`) to another
 * (`debit`), so each balances by construction; a movement is written in the transaction of the
 * state change that causes it, and once: its (movement, reference, debit, credit) is unique, and
 * a second write of it changes nothing.
 *
 * Accounts: `stripe` is the platform's Stripe balance; a guest's charge credits the host's share
 * to `host:<id>` (owed to the host) and the rest to `platform` (guest and host fees, taxes); an
 * amount Stripe charged that does not match the booking waits in `suspense` for an admin.
 */

interface Leg {
  debit: string;
  credit: string;
  amount: number;
}

interface Booked {
  id: string;
  hostId: string;
  quote: { total: number; hostPayout: number; currency: string };
}

async function record(
  ctx: DomainContext,
  booking: Booked,
  movement: Movement,
  reference: string,
  legs: Leg[],
): Promise<void> {
  const at = ctx.deps.clock.now();
  const rows = legs
    .filter((leg) => leg.amount > 0)
    .map((leg) => ({
      id: ctx.deps.ids.next(),
      bookingId: booking.id,
      movement,
      reference,
      ...leg,
      currency: booking.quote.currency,
      at,
    }));
  if (rows.length > 0) await ctx.db.insert(ledgerEntries).values(rows).onConflictDoNothing();
}

/** What each account holds for one booking: credits minus debits (so `stripe` is negative). */
export async function bookingBalances(ctx: DomainContext, bookingId: string): Promise<Map<string, number>> {
  const rows = await ctx.db
    .select({
      account: sql<string>`account`,
      balance: sql<number>`sum(amount)::int`,
    })
    .from(
      sql`(select ${ledgerEntries.credit} as account, ${ledgerEntries.amount} as amount from ${ledgerEntries}
            where ${eq(ledgerEntries.bookingId, bookingId)}
           union all
           select ${ledgerEntries.debit}, -${ledgerEntries.amount} from ${ledgerEntries}
            where ${eq(ledgerEntries.bookingId, bookingId)}) as legs`,
    )
    .groupBy(sql`account`);
  return new Map(rows.map((row) => [row.account, row.balance]));
}

/** What Stripe charged for a booking, by the ledger. */
export async function chargedFor(ctx: DomainContext, bookingId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ charged: sql<number>`coalesce(sum(${ledgerEntries.amount}), 0)::int` })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.bookingId, bookingId), eq(ledgerEntries.movement, "charge")));
  return row?.charged ?? 0;
}

/** What the platform still owes the host for a booking. */
export async function owedToHost(ctx: DomainContext, booking: Booked): Promise<number> {
  return (await bookingBalances(ctx, booking.id)).get(ledgerAccounts.host(booking.hostId)) ?? 0;
}

/** The host's part of `amount` of the booking's total: their share of the price, rounded half up. */
function hostPartOf(booking: Booked, amount: number): number {
  const { total, hostPayout } = booking.quote;
  return Math.floor((hostPayout * amount + Math.floor(total / 2)) / total);
}

/**
 * A guest's payment captured: the host's share is owed to them, the rest is the platform's. Less
 * than the total (a cancelled stay's capture of what the policy keeps) leaves the host what a
 * capture in full and a refund of the difference would: their payout less their part of it.
 */
export async function recordCharge(ctx: DomainContext, booking: Booked, intentId: string, amount: number) {
  const { total, hostPayout } = booking.quote;
  const uncaptured = Math.max(0, total - amount);
  const host = Math.max(0, Math.min(amount, hostPayout - hostPartOf(booking, uncaptured)));
  await record(ctx, booking, "charge", intentId, [
    { debit: ledgerAccounts.stripe, credit: ledgerAccounts.host(booking.hostId), amount: host },
    { debit: ledgerAccounts.stripe, credit: ledgerAccounts.platform, amount: amount - host },
  ]);
}

/** A payment Stripe took that does not match its booking: held apart until an admin settles it. */
export async function recordUnmatchedCharge(
  ctx: DomainContext,
  booking: Booked,
  intentId: string,
  amount: number,
) {
  await record(ctx, booking, "charge", intentId, [
    { debit: ledgerAccounts.stripe, credit: ledgerAccounts.suspense, amount },
  ]);
}

/**
 * Money back to the guest. The host gives up the share of it their share of the price bears (not
 * more than is still owed to them), the platform the rest; a refund of a payment held in
 * `suspense` comes from there first.
 */
export async function recordRefund(ctx: DomainContext, booking: Booked, refundId: string, amount: number) {
  const balances = await bookingBalances(ctx, booking.id);
  const suspense = Math.min(amount, balances.get(ledgerAccounts.suspense) ?? 0);
  const rest = amount - suspense;
  const owed = balances.get(ledgerAccounts.host(booking.hostId)) ?? 0;
  const hostShare = Math.min(owed, hostPartOf(booking, rest));
  await record(ctx, booking, "refund", refundId, [
    { debit: ledgerAccounts.suspense, credit: ledgerAccounts.stripe, amount: suspense },
    { debit: ledgerAccounts.host(booking.hostId), credit: ledgerAccounts.stripe, amount: hostShare },
    { debit: ledgerAccounts.platform, credit: ledgerAccounts.stripe, amount: rest - hostShare },
  ]);
}

/** The host's share transferred to their connected account. */
export async function recordPayout(ctx: DomainContext, booking: Booked, amount: number) {
  await record(ctx, booking, "payout", booking.id, [
    { debit: ledgerAccounts.host(booking.hostId), credit: ledgerAccounts.stripe, amount },
  ]);
}

/** What the platform owes a host, per booking of `bookingIds` and in all, per currency. */
export async function owedToHostBy(ctx: DomainContext, hostId: string, bookingIds: string[]) {
  const account = ledgerAccounts.host(hostId);
  const rows = await ctx.db
    .select({
      bookingId: ledgerEntries.bookingId,
      currency: ledgerEntries.currency,
      owed: sql<number>`sum(case when ${ledgerEntries.credit} = ${account} then ${ledgerEntries.amount} else -${ledgerEntries.amount} end)::int`,
    })
    .from(ledgerEntries)
    .where(or(eq(ledgerEntries.credit, account), eq(ledgerEntries.debit, account)))
    .groupBy(ledgerEntries.bookingId, ledgerEntries.currency);
  const wanted = new Set(bookingIds);
  const byBooking = new Map(
    rows.filter((row) => wanted.has(row.bookingId)).map((row) => [row.bookingId, row.owed]),
  );
  const byCurrency = new Map<string, number>();
  for (const row of rows) byCurrency.set(row.currency, (byCurrency.get(row.currency) ?? 0) + row.owed);
  return { byBooking, byCurrency };
}
