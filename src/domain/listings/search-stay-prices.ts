import { sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { calendarDays } from "../../db/schema/index.ts";
import { renderedOnce } from "../../db/statements.ts";
import { type ListingPrices, nightsPriced, priceStay } from "../bookings/price-stay.ts";
import { platformRates } from "../bookings/stay-quote.ts";
import type { DomainContext } from "../context.ts";
import type { StayTotal } from "./listing-schemas.ts";
import type { SearchedStay } from "./search-input.ts";
import { arrayLiteral } from "./search-parts.ts";

export type PricedListing = ListingPrices & { id: string; nightlyPrice: number };

/**
 * The dates with a price of their own of a page's listings during a stay, whatever the page (values
 * bound as `ids`, an array literal, and `checkIn`, `checkOut`).
 */
export function pricedDaysQuery(db: Database) {
  return db
    .select({ listingId: calendarDays.listingId, day: calendarDays.day, price: calendarDays.price })
    .from(calendarDays)
    .where(
      sql`${calendarDays.listingId} = any(${sql.placeholder("ids")}::text[])
        and ${calendarDays.day} >= ${sql.placeholder("checkIn")}::date
        and ${calendarDays.day} < ${sql.placeholder("checkOut")}::date
        and ${calendarDays.price} is not null`,
    );
}

/**
 * What each listing of a dated search's page charges for the stay, by id: the total bookings.quote
 * gives for it, from the same nights and the same price.
 */
export async function stayTotals(
  ctx: DomainContext,
  page: PricedListing[],
  stay: SearchedStay,
): Promise<Map<string, StayTotal>> {
  if (page.length === 0) return new Map();
  const pricedDays = renderedOnce(ctx.db, "[stay prices]", () => pricedDaysQuery(ctx.db).prepare(""));
  const days = await pricedDays.execute({
    ids: arrayLiteral(page.map((listing) => listing.id)),
    checkIn: stay.checkIn,
    checkOut: stay.checkOut,
  });
  const daysOf = Map.groupBy(days, (d) => d.listingId);
  const rates = platformRates(ctx.deps.config);
  return new Map(
    page.map((listing) => {
      const own = daysOf.get(listing.id) ?? [];
      const nightly = nightsPriced(stay.checkIn, stay.checkOut, listing.nightlyPrice, own);
      const { nights, total, currency } = priceStay(listing, nightly, rates);
      return [listing.id, { nights, total, currency }];
    }),
  );
}
