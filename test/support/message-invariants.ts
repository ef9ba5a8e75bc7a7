import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { queryRows } from "./test-database.ts";

/**
 * What "a sound conversation" means, asked of the whole database in SQL (not with the app's code,
 * so a slip in the bookkeeping cannot hide behind the same slip in the check):
 *
 * - one conversation per (listing, guest), its host the listing's host;
 * - its messages numbered 1..last_seq, without gaps or repeats, each sent by its guest or its host;
 * - its last activity the later of its opening and its newest message;
 * - each booking that names a conversation names its guest's at its listing.
 */
export async function messageInvariantBreaches(db: Database): Promise<string[]> {
  const checks: Array<[string, ReturnType<typeof sql>]> = [
    [
      "conversation whose host is not its listing's host",
      sql`select c.id from conversations c join listings l on l.id = c.listing_id where c.host_id <> l.host_id`,
    ],
    [
      "guest with two conversations about one listing",
      sql`select min(id) as id from conversations group by listing_id, guest_id having count(*) > 1`,
    ],
    [
      "conversation whose messages are not numbered 1..last_seq",
      sql`select c.id from conversations c left join messages m on m.conversation_id = c.id
          group by c.id, c.last_seq
          having count(m.id) <> c.last_seq or coalesce(max(m.seq), 0) <> c.last_seq
            or coalesce(min(m.seq), 1) <> 1 or count(distinct m.seq) <> count(m.id)`,
    ],
    [
      "message sent by someone who is neither the guest nor the host",
      sql`select m.id from messages m join conversations c on c.id = m.conversation_id
          where m.sender_id not in (c.guest_id, c.host_id)`,
    ],
    [
      "conversation whose last activity is not its newest message (or its opening)",
      sql`select c.id from conversations c left join messages m on m.conversation_id = c.id
          group by c.id, c.created_at, c.last_activity_at
          having c.last_activity_at <> greatest(c.created_at, max(m.created_at))`,
    ],
    [
      "booking whose conversation is another guest's or about another listing",
      sql`select b.id from bookings b join conversations c on c.id = b.conversation_id
          where c.listing_id <> b.listing_id or c.guest_id <> b.guest_id`,
    ],
  ];
  const breaches: string[] = [];
  for (const [what, query] of checks) {
    for (const row of await queryRows<{ id: string }>(db, query)) breaches.push(`${what}: ${row.id}`);
  }
  return breaches;
}

/** Fails the test, listing each breach, unless every conversation is sound. */
export async function expectMessageInvariants(db: Database): Promise<void> {
  expect(await messageInvariantBreaches(db)).toEqual([]);
}
