import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { queryRows } from "./test-database.ts";

/**
 * What "never double-booked" means, asked of the whole database after a test has raced: no two
 * date-holding bookings of a listing share a night (check-out exclusive), and no blocked day lies
 * inside one. Written out here, not imported from the domain, so that a change to the app's list
 * of date-holding states (DESIGN §3) cannot weaken the check along with the code.
 */
const HOLDING = sql.raw(`('requested', 'pending_payment', 'confirmed', 'completed')`);

export interface InvariantBreach {
  kind: "overlapping bookings" | "blocked day inside a booking";
  listingId: string;
  detail: string;
}

/** Every breach of the calendar's invariants, over all bookings and calendar days; none is good. */
export async function calendarInvariantBreaches(db: Database): Promise<InvariantBreach[]> {
  const overlaps = await queryRows<{ listing_id: string; first: string; second: string; nights: string }>(
    db,
    sql`select a.listing_id, a.id as first, b.id as second,
          (daterange(a.check_in, a.check_out, '[)') * daterange(b.check_in, b.check_out, '[)'))::text as nights
        from bookings a
        join bookings b on b.listing_id = a.listing_id and b.id > a.id
          and daterange(a.check_in, a.check_out, '[)') && daterange(b.check_in, b.check_out, '[)')
        where a.status in ${HOLDING} and b.status in ${HOLDING}
        order by a.listing_id, a.id, b.id`,
  );
  const blocked = await queryRows<{ listing_id: string; id: string; day: string }>(
    db,
    sql`select b.listing_id, b.id, d.day::text as day
        from bookings b
        join calendar_days d on d.listing_id = b.listing_id and d.blocked
          and d.day >= b.check_in and d.day < b.check_out
        where b.status in ${HOLDING}
        order by b.listing_id, d.day`,
  );
  return [
    ...overlaps.map((row) => ({
      kind: "overlapping bookings" as const,
      listingId: row.listing_id,
      detail: `${row.first} and ${row.second} share ${row.nights}`,
    })),
    ...blocked.map((row) => ({
      kind: "blocked day inside a booking" as const,
      listingId: row.listing_id,
      detail: `${row.id} holds blocked ${row.day}`,
    })),
  ];
}

/** Fails the test, listing each breach, unless the calendar's invariants hold everywhere. */
export async function expectCalendarInvariants(db: Database): Promise<void> {
  expect(await calendarInvariantBreaches(db)).toEqual([]);
}
