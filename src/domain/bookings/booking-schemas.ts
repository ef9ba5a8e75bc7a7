import { z } from "zod";
import { documentedEnum } from "../documented-enum.ts";
import { currencyCode } from "../listings/codes.ts";
import { cancellationPolicySchema } from "../listings/listing-schemas.ts";
import { optionalMessageText } from "../messages/message-schemas.ts";
import { bookingParties, bookingStatuses, MAX_STAY_NIGHTS } from "./vocabulary.ts";

/**
 * Bookings and quotes, described once: the API's answers (and so OpenAPI and the TypeScript types),
 * with the request bodies derived from them below. Money is integer minor units of `currency`.
 */

const minor = z.int().min(0);
export const calendarDate = z.iso
  .date()
  .meta({ description: "A date in the listing's time zone", example: "2027-03-12" });

export const refundStepSchema = z
  .object({
    until: z.iso.datetime().nullable().meta({
      description: "Cancelling before this instant refunds `refund`; null: any time after the step before",
    }),
    untilLocal: z
      .string()
      .nullable()
      .meta({ description: "`until` on the listing's wall clock", example: "2027-03-11T15:00" }),
    refundPercent: z.int().min(0).max(100),
    refund: minor,
    description: z.string().meta({ example: "until 2027-03-11T15:00 Europe/Lisbon: 100%" }),
  })
  .meta({
    id: "RefundStep",
    description: "One step of a refund schedule: cancelling before `until` refunds `refund`.",
  });

export const bookingStatusSchema = documentedEnum(
  bookingStatuses,
  "BookingStatus",
  "Where a booking is. The first four hold the dates; the last three gave them back.",
  {
    requested:
      "a request to book: the guest authorises the card, and the host has until `holdExpiresAt` to answer",
    pending_payment: "instant book: the dates are held until `holdExpiresAt` for the guest to pay",
    confirmed: "paid (or, for a request, accepted and charged): the stay will happen",
    completed: "the stay is over; its reviews are open",
    cancelled: "cancelled by `cancelledBy`; `refundDue` goes back to the guest",
    declined: "the host said no; the authorisation is released",
    expired: "the hold ran out without an answer or a payment; nothing was charged, or it was refunded",
  },
);

export const bookingPartySchema = documentedEnum(bookingParties, "BookingParty", "Who changed a booking.", {
  guest: "the booking's guest",
  host: "the listing's host",
  admin: "an administrator",
  system: "stayedge itself: a hold that ran out, a payment Stripe refused",
});

export const cancellationSchema = z
  .object({
    policy: cancellationPolicySchema,
    timezone: z.string(),
    steps: z
      .array(refundStepSchema)
      .meta({ description: "In order; the first whose `until` is still ahead applies" }),
  })
  .meta({
    id: "CancellationSchedule",
    description:
      "How much of the total a guest's cancellation refunds, step by step, on the listing's clock.",
  });

export const stayRequestSchema = z
  .object({
    listingId: z.uuid(),
    checkIn: calendarDate,
    checkOut: calendarDate.meta({
      description: "The day the guest leaves: not a night of the stay",
      example: "2027-03-15",
    }),
    guests: z.int().min(1).max(50),
  })
  .meta({
    id: "StayRequest",
    description: "A stay to price or book: a listing, check-in, check-out (exclusive) and guests.",
  });

export type StayRequest = z.output<typeof stayRequestSchema>;

export const quoteSchema = stayRequestSchema
  .extend({
    currency: currencyCode,
    nights: z.int().min(1).max(MAX_STAY_NIGHTS),
    nightly: z.array(z.object({ date: calendarDate, price: minor })).meta({
      description: "Each night of the stay at its price: the date's own price, else the nightly price",
    }),
    nightsTotal: minor,
    discountPercent: z
      .int()
      .min(0)
      .max(90)
      .meta({ description: "Weekly (7+ nights) or monthly (28+ nights)" }),
    discount: minor.meta({ description: "Taken off `nightsTotal`" }),
    cleaningFee: minor,
    serviceFee: minor.meta({ description: "The guest's platform fee" }),
    taxes: minor,
    total: minor.meta({
      description: "What the guest pays: nightsTotal − discount + cleaningFee + serviceFee + taxes",
    }),
    hostFee: minor.meta({ description: "The platform's fee from the host" }),
    hostPayout: minor.meta({ description: "nightsTotal − discount + cleaningFee − hostFee" }),
    cancellation: cancellationSchema,
  })
  .meta({
    id: "Quote",
    description: "The itemised price of a stay in integer minor units, with its refund schedule.",
  });

export type Quote = z.output<typeof quoteSchema>;

export const bookingSchema = z
  .object({
    id: z.uuid(),
    listingId: z.uuid(),
    guestId: z.uuid(),
    hostId: z.uuid(),
    checkIn: calendarDate,
    checkOut: calendarDate,
    guests: z.int().min(1),
    status: bookingStatusSchema,
    quote: quoteSchema,
    message: z
      .string()
      .nullable()
      .meta({
        description:
          "What the guest wrote with the request, shown as its conversation shows it: until a " +
          "booking of the guest at the listing is confirmed, the host sees e-mail addresses as " +
          "`[email hidden]` and phone numbers as `[phone number hidden]`; the guest and admins see it " +
          "as written",
      }),
    conversationId: z
      .uuid()
      .nullable()
      .meta({
        description:
          "The guest's conversation with the host about this listing (`conversations.get`), opened or " +
          "joined when the booking was made; its message, if any, is that conversation's message too",
      }),
    holdExpiresAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: "While `requested` or `pending_payment`: when the hold runs out" }),
    // A union, not `.nullable()`, which would make the BookingParty component itself nullable.
    cancelledBy: z.union([bookingPartySchema, z.null()]),
    refundDue: minor
      .nullable()
      .meta({ description: "Set on cancellation: minor units due back to the guest" }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({
    id: "Booking",
    description:
      "A guest's stay at a listing: its state, the quote it was booked at, its hold and its cancellation.",
  });

export type Booking = z.output<typeof bookingSchema>;

export const newBookingSchema = stayRequestSchema
  .extend({
    message: optionalMessageText,
  })
  .strict()
  .meta({ id: "NewBooking", description: "A stay to book, with an optional message to the host." });

export type NewBooking = z.output<typeof newBookingSchema>;
