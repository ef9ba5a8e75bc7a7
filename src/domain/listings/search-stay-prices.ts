import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { calendarDays, listings } from "../../db/schema/index.ts";
import { renderedOnce } from "../../db/statements.ts";
import { type ListingPrices, nightsPriced, priceStay } from "../bookings/price-stay.ts";
import { platformRates } from "../bookings/stay-quote.ts";
import type { DomainContext } from "../context.ts";
import type { StayTotal } from "./listing-schemas.ts";
import type { SearchedStay } from "./search-input.ts";
import { arrayLiteral } from "./search-parts.ts";

/** What a search row brings to price its listing's stay; the rest comes with its dates. */
export type PricedListing = Pick<ListingPrices, "currency"> & { id: string; nightlyPrice: number };

/**
 * For each listing of a page, what it charges beyond its nights, with each date of the stay that
 * has a price of its own (a row per such date, or one row with no date), whatever the page: values
 * bound as `ids` (an array literal), `checkIn` and `checkOut`. Only dated searches read these, so
 * the search statements themselves select no more than an item shows.
 */
export function pricedDaysQuery(db: Database) {
  return db
    .select({
      listingId: listings.id,
      cleaningFee: listings.cleaningFee,
      weeklyDiscountPercent: listings.weeklyDiscountPercent,
      monthlyDiscountPercent: listings.monthlyDiscountPercent,
      day: calendarDays.day,
      price: calendarDays.price,
    })
    .from(listings)
    .leftJoin(
      calendarDays,
      and(
        eq(calendarDays.listingId, listings.id),
        sql`${calendarDays.day} >= ${sql.placeholder("checkIn")}::date
          and ${calendarDays.day} < ${sql.placeholder("checkOut")}::date
          and ${calendarDays.price} is not null`,
      ),
    )
    .where(sql`${listings.id} = any(${sql.placeholder("ids")}::text[])`);
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
  const totals = new Map<string, StayTotal>();
  for (const listing of page) {
    const rows = daysOf.get(listing.id) ?? [];
    const [charges] = rows;
    if (!charges) continue;
    const own = rows.flatMap(({ day, price }) => (day === null ? [] : [{ day, price }]));
    const nightly = nightsPriced(stay.checkIn, stay.checkOut, listing.nightlyPrice, own);
    const { nights, total, currency } = priceStay({ ...charges, currency: listing.currency }, nightly, rates);
    totals.set(listing.id, { nights, total, currency });
  }
  return totals;
}
