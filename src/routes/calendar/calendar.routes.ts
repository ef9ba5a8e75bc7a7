import { createRoute, z } from "@hono/zod-openapi";
import { calendarDate } from "../../domain/bookings/booking-schemas.ts";
import { CALENDAR_REACH_DAYS, DEFAULT_CALENDAR_DAYS } from "../../domain/bookings/calendar-rules.ts";
import { calendarChangesSchema, calendarSchema } from "../../domain/bookings/calendar-schemas.ts";
import { MAX_CALENDAR_DAYS } from "../../domain/bookings/vocabulary.ts";
import { jsonBody, jsonContent } from "../../http/json.ts";
import { optionalAuth, signedIn } from "../../http/middleware/auth.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import { listingIdParams } from "../listings/listings.schemas.ts";
import { calendarExample, updatedCalendarExample } from "./calendar.examples.ts";

const notFound = {
  404: problemResponseFor("No such listing, or not yours to see", { NOT_FOUND: "No listing with this id." }),
};

export const calendarQuery = z.object({
  from: calendarDate.optional().openapi({
    description: `The first date; default the listing's today. At most ${CALENDAR_REACH_DAYS} days either side of it.`,
    example: "2027-03-01",
  }),
  to: calendarDate.optional().openapi({
    description: `Not included; default ${DEFAULT_CALENDAR_DAYS} days after \`from\`, at most ${MAX_CALENDAR_DAYS}.`,
    example: "2027-04-01",
  }),
});

export const getCalendar = createRoute({
  method: "get",
  path: "/listings/{id}/calendar",
  operationId: "calendar.get",
  tags: ["Calendar"],
  summary: "A listing's calendar",
  description:
    "Each date of a range, `available`, `blocked` or `booked`, with its price and minimum stay. " +
    "Published listings for anyone; drafts and unlisted ones only for their host and admins (404 for " +
    "others). Past dates show as they were. A token is optional here.",
  // Either no token or a valid one (`{}` is OpenAPI's "no authentication").
  security: [{} as Record<string, string[]>, { bearerAuth: [] }],
  middleware: [optionalAuth],
  request: { params: listingIdParams, query: calendarQuery },
  responses: {
    200: { description: "The calendar", content: jsonContent(calendarSchema, calendarExample) },
    ...notFound,
    401: authResponses[401],
    ...errorResponses,
  },
});

export const updateCalendar = createRoute({
  method: "patch",
  path: "/listings/{id}/calendar",
  operationId: "calendar.update",
  tags: ["Calendar"],
  summary: "Block, open or price dates",
  description:
    "Host or admin. Every range of the change is applied in one transaction, or none is. Answers the " +
    "calendar from the earliest date the change names to the end of the last.",
  ...signedIn,
  request: {
    params: listingIdParams,
    body: jsonBody(calendarChangesSchema, {
      block: [{ from: "2027-03-20", to: "2027-03-23" }],
      setPrice: [{ from: "2027-03-12", to: "2027-03-15", price: 15900 }],
    }),
  },
  responses: {
    200: {
      description: "The calendar over the changed dates",
      content: jsonContent(calendarSchema, updatedCalendarExample),
    },
    ...authResponses,
    403: problemResponseFor("Signed in, but not allowed", {
      FORBIDDEN: "Only the host or an admin may change this listing.",
    }),
    ...notFound,
    409: problemResponseFor("A date to block is booked (`DATES_UNAVAILABLE`)", {
      DATES_UNAVAILABLE: {
        detail: "Some of these dates are booked.",
        errors: [
          {
            field: "block.0",
            location: "body.block.0",
            message: "2027-03-21 is booked: a booked date cannot be blocked",
          },
        ],
      },
    }),
    ...errorResponses,
  },
});
