import type { Config } from "../../config.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import type { ListingRow } from "../listings/listing-view.ts";
import type { Quote, StayRequest } from "./booking-schemas.ts";
import { calendarDaysIn, datesTaken } from "./calendar-store.ts";
import { basisPoints } from "./money.ts";
import { nightsPriced, type PlatformRates, priceStay } from "./price-stay.ts";
import { refundSchedule } from "./refund-schedule.ts";
import { checkStay } from "./stay-rules.ts";

export const platformRates = (config: Config): PlatformRates => ({
  guestServiceFee: basisPoints(config.GUEST_SERVICE_FEE_PERCENT),
  hostServiceFee: basisPoints(config.HOST_SERVICE_FEE_PERCENT),
  taxes: basisPoints(config.TAX_PERCENT),
});

export const datesUnavailable = () =>
  new AppError("DATES_UNAVAILABLE", "Some of these nights are booked or blocked.", {
    errors: [{ field: "checkIn", message: "Some nights from checkIn to checkOut are not available" }],
  });

/**
 * The price of `stay` at `listing` if the guest books it at `now`: the stay rules, then the
 * calendar (free dates, each night's price), then the itemised price and its refund schedule.
 * Throws `whenTaken` if a night is booked or blocked.
 */
export async function quoteStayAt(
  ctx: DomainContext,
  listing: ListingRow,
  stay: StayRequest,
  whenTaken: () => AppError = datesUnavailable,
): Promise<Quote> {
  const now = ctx.deps.clock.now();
  checkStay(listing, stay, now);
  if (await datesTaken(ctx.db, listing.id, stay.checkIn, stay.checkOut)) throw whenTaken();
  const days = await calendarDaysIn(ctx.db, listing.id, stay.checkIn, stay.checkOut);
  const nightly = nightsPriced(stay.checkIn, stay.checkOut, listing.nightlyPrice, days);
  const price = priceStay(listing, nightly, platformRates(ctx.deps.config));
  const cancellation = refundSchedule({
    policy: listing.cancellationPolicy,
    timezone: listing.timezone,
    checkIn: stay.checkIn,
    checkInTime: listing.checkInTime,
    bookedAt: now,
    total: price.total,
  });
  return { ...stay, ...price, cancellation };
}
