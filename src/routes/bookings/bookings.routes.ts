import { createRoute } from "@hono/zod-openapi";
import {
  bookingSchema,
  newBookingSchema,
  quoteSchema,
  stayRequestSchema,
} from "../../domain/bookings/booking-schemas.ts";
import { paymentStartSchema } from "../../domain/payments/payment-schemas.ts";
import { jsonBody, jsonContent } from "../../http/json.ts";
import { signedIn } from "../../http/middleware/auth.ts";
import { idempotencyHeaders, idempotent, replayedHeader } from "../../http/middleware/idempotency.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import {
  bookingExample,
  bookingPageExample,
  cancelledBookingExample,
  declinedBookingExample,
  newBookingExample,
  quoteExample,
  stayExample,
} from "./bookings.examples.ts";
import { bookingIdParams, bookingListQuery, bookingPageSchema, reasonBody } from "./bookings.schemas.ts";

const newBookingAnswerSchema = bookingSchema
  .extend({
    payment: paymentStartSchema.nullable().meta({
      description:
        "What the guest needs to pay (or, for a request, to authorise) now; null if Stripe did not " +
        "answer in time: `POST /v1/bookings/{id}/payment` gives it",
    }),
  })
  .meta({ id: "NewBookingAnswer", description: "A new booking, with what the guest needs to pay for it." });
const notFound = {
  404: problemResponseFor("No such booking, or not yours to see", { NOT_FOUND: "No booking with this id." }),
};
const noSuchListing = problemResponseFor("No such published listing", {
  NOT_FOUND: "No listing with this id.",
});
/** The 403 of `authResponses`, with what this operation says when it refuses. */
const forbidden = (detail: string) => ({
  403: problemResponseFor(authResponses[403].description, { FORBIDDEN: detail }),
});

export const quoteBooking = createRoute({
  method: "post",
  path: "/bookings/quote",
  operationId: "bookings.quote",
  tags: ["Bookings"],
  summary: "Price a stay",
  description:
    "The itemised price of a stay at a published listing, in integer minor units, with the refund " +
    "schedule of its cancellation policy. Nothing is held. Anyone may ask.",
  security: [],
  request: { body: jsonBody(stayRequestSchema, stayExample) },
  responses: {
    200: { description: "The quote", content: jsonContent(quoteSchema, quoteExample) },
    404: noSuchListing,
    409: problemResponseFor("Some nights are booked or blocked (`DATES_UNAVAILABLE`)", {
      DATES_UNAVAILABLE: {
        detail: "Some of these nights are booked or blocked.",
        errors: [
          {
            field: "checkIn",
            location: "body.checkIn",
            message: "Some nights from checkIn to checkOut are not available",
          },
        ],
      },
    }),
    ...errorResponses,
  },
});

export const createBooking = createRoute({
  method: "post",
  path: "/bookings",
  operationId: "bookings.create",
  tags: ["Bookings"],
  summary: "Book a stay",
  description:
    "Holds the dates at the quoted price. An instant-book listing answers `pending_payment` (the " +
    "dates are held for the payment window); any other `requested` (held until the host answers). " +
    "The answer's `payment` carries the PaymentIntent to pay (instant book) or authorise (a request) " +
    "with Stripe.js.\n\n" +
    "Send an `Idempotency-Key` to retry safely. The key is yours alone and lives 24 hours. A retry " +
    "with the same key and the same body gets the first successful answer again (status, body and " +
    "`Location`, marked `Idempotent-Replayed: true`) and books nothing more. The same key with " +
    "another body is 422 `IDEMPOTENCY_MISMATCH`; while the first request is still running, 409 " +
    "`CONFLICT` (retry after `Retry-After`). Errors are not kept: after a 4xx or 5xx, the same key " +
    "may be sent again, with the request fixed or as it was.",
  ...signedIn,
  middleware: [...signedIn.middleware, idempotent("bookings.create")],
  request: {
    headers: idempotencyHeaders,
    body: jsonBody(newBookingSchema, { ...stayExample, message: "Arriving by train around six." }),
  },
  responses: {
    201: {
      description: "Booked",
      headers: {
        Location: { schema: { type: "string" }, description: "The booking's URL" },
        ...replayedHeader,
      },
      content: jsonContent(newBookingAnswerSchema, newBookingExample),
    },
    ...authResponses,
    ...forbidden("Hosts cannot book their own listing."),
    404: noSuchListing,
    409: problemResponseFor(
      "The nights are taken (`BOOKING_CONFLICT`), or a request with this Idempotency-Key is still in progress (`CONFLICT`)",
      {
        BOOKING_CONFLICT: "Those dates were just taken by another booking or block.",
        CONFLICT: "A request with this Idempotency-Key is still in progress. Retry in a moment.",
      },
    ),
    422: problemResponseFor("The Idempotency-Key was used with another request (`IDEMPOTENCY_MISMATCH`)", {
      IDEMPOTENCY_MISMATCH:
        "This Idempotency-Key was used with a different request. Use a new key for a new request.",
    }),
    ...errorResponses,
  },
});

export const getBooking = createRoute({
  method: "get",
  path: "/bookings/{id}",
  operationId: "bookings.get",
  tags: ["Bookings"],
  summary: "A booking",
  description: "For its guest, the listing's host and admins.",
  ...signedIn,
  request: { params: bookingIdParams },
  responses: {
    200: { description: "The booking", content: jsonContent(bookingSchema, bookingExample) },
    ...authResponses,
    ...notFound,
    ...errorResponses,
  },
});

/** What each change answers in the examples, and the state it refuses to change (`INVALID_STATE`). */
const changes = {
  accept: { example: bookingExample, refused: "A confirmed booking cannot be accepted." },
  decline: { example: declinedBookingExample, refused: "A confirmed booking cannot be declined." },
  cancel: { example: cancelledBookingExample, refused: "A completed booking cannot be cancelled." },
};

const change = (action: "accept" | "decline" | "cancel", summary: string, description: string) =>
  createRoute({
    method: "post",
    path: `/bookings/{id}/${action}`,
    operationId: `bookings.${action}`,
    tags: ["Bookings"],
    summary,
    description,
    ...signedIn,
    request: {
      params: bookingIdParams,
      body: jsonBody(reasonBody, { reason: "Plans changed" }, { required: false }),
    },
    responses: {
      200: { description: "The booking", content: jsonContent(bookingSchema, changes[action].example) },
      ...authResponses,
      ...(action === "cancel" ? {} : forbidden("Only the listing's host may answer a request.")),
      ...notFound,
      409: problemResponseFor("Not possible in the booking's state (`INVALID_STATE`)", {
        INVALID_STATE: changes[action].refused,
      }),
      ...errorResponses,
    },
  });

export const acceptBooking = change(
  "accept",
  "Accept a request",
  "The listing's host. Confirmed at once if the guest's payment is authorised; otherwise it waits for payment.",
);
export const declineBooking = change(
  "decline",
  "Decline a request",
  "The listing's host. The dates are free again.",
);
export const cancelBooking = change(
  "cancel",
  "Cancel a booking",
  "The guest or the host, before the stay ends. A guest's refund follows the booking's schedule at this moment; " +
    "a host's cancellation refunds in full.",
);

export const listBookings = createRoute({
  method: "get",
  path: "/users/me/bookings",
  operationId: "bookings.listMine",
  tags: ["Bookings"],
  summary: "Your bookings",
  description: "As guest (your trips) or as host (your listings' bookings), newest first.",
  ...signedIn,
  request: { query: bookingListQuery },
  responses: {
    200: {
      description: "A page of bookings",
      content: jsonContent(bookingPageSchema, bookingPageExample),
    },
    ...authResponses,
    ...errorResponses,
  },
});
