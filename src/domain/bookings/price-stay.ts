import type { Quote } from "./booking-schemas.ts";
import { datesBetween } from "./local-time.ts";
import { shareOf } from "./money.ts";

/** What a listing charges, beyond each night's price. */
export interface ListingPrices {
  currency: string;
  cleaningFee: number;
  weeklyDiscountPercent: number;
  monthlyDiscountPercent: number;
}

/** The platform's cut and the taxes, in basis points (config). */
export interface PlatformRates {
  guestServiceFee: number;
  hostServiceFee: number;
  taxes: number;
}

export type StayPrice = Omit<Quote, "listingId" | "checkIn" | "checkOut" | "guests" | "cancellation">;

/**
 * Each night of `[checkIn, checkOut)` with its price: the calendar's price for that date where it
 * sets one (`days`, a blocked date may have none), else the listing's nightly price.
 */
export function nightsPriced(
  checkIn: string,
  checkOut: string,
  nightlyPrice: number,
  days: ReadonlyArray<{ day: string; price: number | null }>,
): Array<{ date: string; price: number }> {
  const priced = new Map(days.map((d) => [d.day, d.price]));
  return datesBetween(checkIn, checkOut).map((date) => ({ date, price: priced.get(date) ?? nightlyPrice }));
}

/** A monthly discount for 28 nights or more, else a weekly one for 7 or more. */
export function discountPercentFor(nights: number, listing: ListingPrices): number {
  if (nights >= 28 && listing.monthlyDiscountPercent > 0) return listing.monthlyDiscountPercent;
  if (nights >= 7) return listing.weeklyDiscountPercent;
  return 0;
}

/**
 * The itemised price of a stay whose nights are priced already (`nightly`, one entry per night).
 * Taxes apply to the stay itself (nights after discount, and cleaning); the service fees to the
 * same base. The guest's total is the sum of the parts shown, and the host's payout is what the
 * stay earns less the host's fee.
 */
export function priceStay(
  listing: ListingPrices,
  nightly: Array<{ date: string; price: number }>,
  rates: PlatformRates,
): StayPrice {
  const nightsTotal = nightly.reduce((sum, night) => sum + night.price, 0);
  const discountPercent = discountPercentFor(nightly.length, listing);
  const discount = shareOf(nightsTotal, discountPercent * 100);
  const stay = nightsTotal - discount + listing.cleaningFee;
  const serviceFee = shareOf(stay, rates.guestServiceFee);
  const taxes = shareOf(stay, rates.taxes);
  const hostFee = shareOf(stay, rates.hostServiceFee);
  return {
    currency: listing.currency,
    nights: nightly.length,
    nightly,
    nightsTotal,
    discountPercent,
    discount,
    cleaningFee: listing.cleaningFee,
    serviceFee,
    taxes,
    total: stay + serviceFee + taxes,
    hostFee,
    hostPayout: stay - hostFee,
  };
}
