import type { Calendar } from "../../domain/bookings/calendar-schemas.ts";
import { exampleIds } from "../example-ids.ts";
import { listingExample } from "../listings/listings.examples.ts";

/**
 * The reference's calendars: the loft of `listingExample` (125.00 EUR a night, at least 2 nights),
 * booked from 2027-03-12 to 2027-03-15, those nights priced 159.00 by the `calendar.update`
 * example, which also blocks 2027-03-20 to 2027-03-23.
 */

const { timezone, currency, nightlyPrice, minNights } = listingExample;

/** Five days from 2027-03-10: two open at the nightly price, then the booked stay at its own price. */
export const calendarExample: Calendar = {
  listingId: exampleIds.listing,
  timezone,
  currency,
  from: "2027-03-10",
  to: "2027-03-15",
  days: [
    { date: "2027-03-10", status: "available", price: nightlyPrice, minNights },
    { date: "2027-03-11", status: "available", price: nightlyPrice, minNights },
    { date: "2027-03-12", status: "booked", price: 15900, minNights },
    { date: "2027-03-13", status: "booked", price: 15900, minNights },
    { date: "2027-03-14", status: "booked", price: 15900, minNights },
  ],
};

/** The answer to the `calendar.update` example: from the first date it names to the end of the last. */
export const updatedCalendarExample: Calendar = {
  listingId: exampleIds.listing,
  timezone,
  currency,
  from: "2027-03-12",
  to: "2027-03-23",
  days: [
    { date: "2027-03-12", status: "booked", price: 15900, minNights },
    { date: "2027-03-13", status: "booked", price: 15900, minNights },
    { date: "2027-03-14", status: "booked", price: 15900, minNights },
    { date: "2027-03-15", status: "available", price: nightlyPrice, minNights },
    { date: "2027-03-16", status: "available", price: nightlyPrice, minNights },
    { date: "2027-03-17", status: "available", price: nightlyPrice, minNights },
    { date: "2027-03-18", status: "available", price: nightlyPrice, minNights },
    { date: "2027-03-19", status: "available", price: nightlyPrice, minNights },
    { date: "2027-03-20", status: "blocked", price: nightlyPrice, minNights },
    { date: "2027-03-21", status: "blocked", price: nightlyPrice, minNights },
    { date: "2027-03-22", status: "blocked", price: nightlyPrice, minNights },
  ],
};
