import type { DomainContext } from "../context.ts";
import { findListing, listingNotFound } from "../listings/listing-store.ts";
import { canManage } from "../listings/listing-view.ts";
import { type DateRange, readRange } from "./calendar-rules.ts";
import type { Calendar } from "./calendar-schemas.ts";
import { readCalendar } from "./calendar-view.ts";
import { localDate } from "./local-time.ts";

/**
 * A listing's dates, open, blocked or booked, with their prices: for anyone while it is published,
 * else only for its host and admins. Never cached: a guest about to book must see it as it is.
 */
export async function getCalendar({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string } & Partial<DateRange>;
}): Promise<Calendar> {
  const listing = await findListing(ctx.db, input.id);
  if (!listing || (listing.status !== "published" && !canManage(ctx.actor, listing))) {
    throw listingNotFound();
  }
  const today = localDate(ctx.deps.clock.now(), listing.timezone);
  return readCalendar(ctx.db, listing, readRange(today, input));
}
