import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { StripeEmulator } from "../../src/adapters/stripe-emulator/emulator.ts";
import type { Database } from "../../src/db/database.ts";
import { queryRows } from "./test-database.ts";

/**
 * What "every cent accounted for" means, asked of the whole database (and, when given, of the
 * Stripe the app talked to) after a scenario. Written out in SQL here rather than through the
 * app's ledger functions, so a bug there cannot weaken the check with it.
 *
 * - each entry balances: a positive amount from one account to another;
 * - per booking: charged − refunded = platform's part + host's part (owed or paid) + suspense;
 * - nothing moves twice: one charge per intent, each succeeded refund once and for its amount,
 *   each paid payout once and for its amount;
 * - the ledger agrees with Stripe: captured, refunded and transferred per booking.
 */
export async function ledgerBreaches(db: Database, stripe?: StripeEmulator): Promise<string[]> {
  const breaches: string[] = [];
  const unbalanced = await queryRows<{ id: string }>(
    db,
    sql`select id from ledger_entries where amount <= 0 or debit = credit`,
  );
  for (const { id } of unbalanced) breaches.push(`entry ${id} does not balance`);

  const sums = await queryRows<{
    booking_id: string;
    charged: number;
    refunded: number;
    paid_out: number;
    platform: number;
    host: number;
    suspense: number;
  }>(
    db,
    sql`select booking_id,
          coalesce(sum(amount) filter (where movement = 'charge'), 0)::int as charged,
          coalesce(sum(amount) filter (where movement = 'refund'), 0)::int as refunded,
          coalesce(sum(amount) filter (where movement = 'payout'), 0)::int as paid_out,
          (coalesce(sum(amount) filter (where credit = 'platform'), 0)
            - coalesce(sum(amount) filter (where debit = 'platform'), 0))::int as platform,
          (coalesce(sum(amount) filter (where credit like 'host:%'), 0)
            - coalesce(sum(amount) filter (where debit like 'host:%' and movement <> 'payout'), 0))::int as host,
          (coalesce(sum(amount) filter (where credit = 'suspense'), 0)
            - coalesce(sum(amount) filter (where debit = 'suspense'), 0))::int as suspense
        from ledger_entries group by booking_id`,
  );
  for (const s of sums) {
    if (s.charged - s.refunded !== s.platform + s.host + s.suspense) {
      breaches.push(
        `booking ${s.booking_id}: charged ${s.charged} − refunded ${s.refunded} ≠ platform ${s.platform} + host ${s.host} + suspense ${s.suspense}`,
      );
    }
    if (s.paid_out > s.host)
      breaches.push(`booking ${s.booking_id}: paid out ${s.paid_out} > host's part ${s.host}`);
  }

  const charges = await queryRows<{ reference: string; n: number }>(
    db,
    sql`select reference, count(distinct booking_id)::int as n from ledger_entries where movement = 'charge'
        group by reference having count(distinct booking_id) > 1`,
  );
  for (const c of charges) breaches.push(`intent ${c.reference} charged for ${c.n} bookings`);
  const refunds = await queryRows<{ id: string; amount: number; recorded: number | null }>(
    db,
    sql`select r.id, r.amount, (select sum(amount)::int from ledger_entries l
          where l.movement = 'refund' and l.reference = r.id) as recorded
        from refunds r where r.status = 'succeeded'`,
  );
  for (const r of refunds) {
    if (r.recorded !== r.amount) breaches.push(`refund ${r.id} of ${r.amount} recorded as ${r.recorded}`);
  }
  const unrecorded = await queryRows<{ reference: string }>(
    db,
    sql`select distinct reference from ledger_entries l where movement = 'refund'
        and not exists (select 1 from refunds r where r.id = l.reference and r.status = 'succeeded')`,
  );
  for (const u of unrecorded) breaches.push(`ledger refund ${u.reference} has no succeeded refund row`);
  const payouts = await queryRows<{ booking_id: string; amount: number | null; recorded: number | null }>(
    db,
    sql`select p.booking_id, p.amount, (select sum(amount)::int from ledger_entries l
          where l.movement = 'payout' and l.booking_id = p.booking_id) as recorded
        from payouts p where p.status = 'paid'`,
  );
  for (const p of payouts) {
    if (p.recorded !== p.amount)
      breaches.push(`payout of ${p.booking_id} of ${p.amount} recorded as ${p.recorded}`);
  }

  if (stripe) breaches.push(...(await stripeBreaches(db, stripe)));
  return breaches;
}

/** The ledger against Stripe's own books: per booking, captured, refunded and transferred. */
async function stripeBreaches(db: Database, stripe: StripeEmulator): Promise<string[]> {
  const breaches: string[] = [];
  const rows = await queryRows<{
    booking_id: string;
    intent_id: string;
    charged: number;
    refunded: number;
    paid_out: number;
  }>(
    db,
    sql`select p.booking_id, p.intent_id,
          coalesce((select sum(amount) from ledger_entries l where l.booking_id = p.booking_id and movement = 'charge'), 0)::int as charged,
          coalesce((select sum(amount) from ledger_entries l where l.booking_id = p.booking_id and movement = 'refund'), 0)::int as refunded,
          coalesce((select sum(amount) from ledger_entries l where l.booking_id = p.booking_id and movement = 'payout'), 0)::int as paid_out
        from payments p`,
  );
  const latest = new Map<string, Record<string, unknown>>();
  for (const event of stripe.events) {
    const object = event.data.object;
    if (typeof object.id === "string") latest.set(object.id, object);
  }
  for (const row of rows) {
    const intent = stripe.paymentIntent(row.intent_id);
    const captured = intent?.amount_received ?? 0;
    if (captured !== row.charged)
      breaches.push(`booking ${row.booking_id}: Stripe captured ${captured}, ledger ${row.charged}`);
    let refunded = 0;
    let transferred = 0;
    for (const id of latest.keys()) {
      const refund = id.startsWith("re_") ? stripe.refund(id) : undefined;
      if (refund?.payment_intent === row.intent_id && refund.status === "succeeded")
        refunded += refund.amount;
      const transfer = id.startsWith("tr_") ? stripe.transfer(id) : undefined;
      if (transfer && transfer.source_transaction === intent?.latest_charge) transferred += transfer.amount;
    }
    if (refunded !== row.refunded)
      breaches.push(`booking ${row.booking_id}: Stripe refunded ${refunded}, ledger ${row.refunded}`);
    if (transferred !== row.paid_out) {
      breaches.push(`booking ${row.booking_id}: Stripe transferred ${transferred}, ledger ${row.paid_out}`);
    }
  }
  return breaches;
}

/** Fails the test, listing each breach, unless the ledger's invariants hold everywhere. */
export async function expectLedgerInvariants(db: Database, stripe?: StripeEmulator): Promise<void> {
  expect(await ledgerBreaches(db, stripe)).toEqual([]);
}
