import type { z } from "@hono/zod-openapi";
import type { Booking, Quote } from "../../domain/bookings/booking-schemas.ts";
import type { PaymentStart } from "../../domain/payments/payment-schemas.ts";
import { exampleIds } from "../example-ids.ts";
import { paymentStartExample } from "../payments/payments.examples.ts";
import type { bookingPageSchema } from "./bookings.schemas.ts";

/**
 * The reference's examples of bookings: three nights, 12 → 15 March 2027, for two guests at the
 * demo loft in Paris (12500 a night, 3000 cleaning, moderate policy, check-in at 15:00), with the
 * default rates (the guest's service fee 14%, the host's 3%, no taxes).
 */

/** The stay the examples price and book. */
export const stayExample = {
  listingId: exampleIds.listing,
  checkIn: "2027-03-12",
  checkOut: "2027-03-15",
  guests: 2,
};

/** The stay priced on 20 February 2027: refunded in full until five days before check-in. */
export const quoteExample: Quote = {
  ...stayExample,
  currency: "EUR",
  nights: 3,
  nightly: [
    { date: "2027-03-12", price: 12500 },
    { date: "2027-03-13", price: 12500 },
    { date: "2027-03-14", price: 12500 },
  ],
  nightsTotal: 37500,
  discountPercent: 0,
  discount: 0,
  cleaningFee: 3000,
  serviceFee: 5670,
  taxes: 0,
  total: 46170,
  hostFee: 1215,
  hostPayout: 39285,
  cancellation: {
    policy: "moderate",
    timezone: "Europe/Paris",
    steps: [
      {
        until: "2027-03-07T14:00:00.000Z",
        untilLocal: "2027-03-07T15:00",
        refundPercent: 100,
        refund: 46170,
        description: "until 2027-03-07T15:00 Europe/Paris: 100%",
      },
      { until: null, untilLocal: null, refundPercent: 0, refund: 0, description: "after that: 0%" },
    ],
  },
};

/** The request to book, as made: its dates held 24 hours for the host's answer. */
export const requestedBookingExample: Booking = {
  id: exampleIds.booking,
  listingId: exampleIds.listing,
  guestId: exampleIds.guest,
  hostId: exampleIds.host,
  checkIn: stayExample.checkIn,
  checkOut: stayExample.checkOut,
  guests: stayExample.guests,
  status: "requested",
  quote: quoteExample,
  message: "Arriving by train around six.",
  conversationId: exampleIds.conversation,
  holdExpiresAt: "2027-02-21T09:14:03.512Z",
  cancelledBy: null,
  refundDue: null,
  createdAt: "2027-02-20T09:14:03.512Z",
  updatedAt: "2027-02-20T09:14:03.512Z",
};

/** The new booking's answer, with the PaymentIntent to authorise. */
export const newBookingExample: Booking & { payment: PaymentStart | null } = {
  ...requestedBookingExample,
  payment: paymentStartExample,
};

/** Accepted by the host, its payment authorised already: confirmed. */
export const bookingExample: Booking = {
  ...requestedBookingExample,
  status: "confirmed",
  holdExpiresAt: null,
  updatedAt: "2027-02-20T18:02:41.207Z",
};

export const declinedBookingExample: Booking = {
  ...requestedBookingExample,
  status: "declined",
  holdExpiresAt: null,
  updatedAt: "2027-02-20T18:02:41.207Z",
};

/** Cancelled by the guest before 7 March, 15:00 in Paris: refunded in full. */
export const cancelledBookingExample: Booking = {
  ...bookingExample,
  status: "cancelled",
  cancelledBy: "guest",
  refundDue: 46170,
  updatedAt: "2027-03-02T10:27:55.930Z",
};

export const bookingPageExample: z.output<typeof bookingPageSchema> = {
  items: [bookingExample],
  nextCursor: null,
};
