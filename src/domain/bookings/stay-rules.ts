import { invalidField } from "../errors.ts";
import type { ListingRow } from "../listings/listing-view.ts";
import type { StayRequest } from "./booking-schemas.ts";
import { addDays, daysBetween, localDate } from "./local-time.ts";

export type StayListing = Pick<
  ListingRow,
  "timezone" | "maxGuests" | "minNights" | "maxNights" | "advanceNoticeDays" | "bookingWindowDays"
>;

/**
 * Whether `listing` takes this stay, on its own calendar (`now` read in its time zone): each refusal
 * names the field to change. Whether the dates are free is asked of the calendar, not here.
 */
export function checkStay(listing: StayListing, stay: Omit<StayRequest, "listingId">, now: Date): void {
  const nights = daysBetween(stay.checkIn, stay.checkOut);
  if (nights < 1) throw invalidField("checkOut", "Must be after checkIn", "checkOut must be after checkIn.");
  const today = localDate(now, listing.timezone);
  if (stay.checkIn < today) {
    throw invalidField("checkIn", `Is in the past: today is ${today} where the listing is`);
  }
  const earliest = addDays(today, listing.advanceNoticeDays);
  if (stay.checkIn < earliest) {
    throw invalidField(
      "checkIn",
      `The host needs ${listing.advanceNoticeDays} days' notice: the earliest check-in is ${earliest}`,
    );
  }
  const latest = addDays(today, listing.bookingWindowDays);
  if (stay.checkIn > latest) {
    throw invalidField("checkIn", `Is too far ahead: the latest check-in is ${latest}`);
  }
  if (nights < listing.minNights || nights > listing.maxNights) {
    throw invalidField(
      "checkOut",
      `The stay is ${nights} nights; this listing takes ${listing.minNights} to ${listing.maxNights}`,
    );
  }
  if (stay.guests > listing.maxGuests) {
    throw invalidField("guests", `This listing sleeps at most ${listing.maxGuests}`);
  }
}
