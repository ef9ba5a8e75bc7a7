import { eq } from "drizzle-orm";
import { bookings, listings } from "../../db/schema/index.ts";
import type { BookingRow } from "../bookings/booking-view.ts";
import type { DomainContext } from "../context.ts";
import type { StayFacts } from "./templates/booking-mails.ts";

export interface Stay {
  booking: BookingRow;
  listing: { id: string; title: string; timezone: string; checkInTime: string; checkOutTime: string };
  facts: StayFacts;
}

/**
 * A booking as it is now, with its listing's title and clock: what booking and review mails tell.
 * Money comes from the quote the guest booked at.
 */
export async function readStay(ctx: DomainContext, bookingId: string): Promise<Stay | undefined> {
  const [row] = await ctx.db
    .select({
      booking: bookings,
      listing: {
        id: listings.id,
        title: listings.title,
        timezone: listings.timezone,
        checkInTime: listings.checkInTime,
        checkOutTime: listings.checkOutTime,
      },
    })
    .from(bookings)
    .innerJoin(listings, eq(listings.id, bookings.listingId))
    .where(eq(bookings.id, bookingId))
    .limit(1);
  if (!row) return undefined;
  const { booking, listing } = row;
  return {
    booking,
    listing,
    facts: {
      bookingId: booking.id,
      listingTitle: listing.title,
      timezone: listing.timezone,
      checkIn: booking.checkIn,
      checkOut: booking.checkOut,
      checkInTime: listing.checkInTime,
      checkOutTime: listing.checkOutTime,
      nights: booking.quote.nights,
      guests: booking.guests,
      currency: booking.quote.currency,
      total: booking.quote.total,
      hostPayout: booking.quote.hostPayout,
    },
  };
}
