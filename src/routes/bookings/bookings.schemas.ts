import { z } from "@hono/zod-openapi";
import { bookingSchema, bookingStatusSchema, calendarDate } from "../../domain/bookings/booking-schemas.ts";
import { cursorQuery, pageSchema } from "../../http/cursor.ts";
import { exampleIds } from "../example-ids.ts";

export const bookingIdParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: exampleIds.booking }),
});

export const reasonBody = z
  .object({ reason: z.string().trim().min(1).max(1000).optional() })
  .strict()
  .openapi("BookingChangeReason", {
    description: "Why a booking is accepted, declined or cancelled (optional).",
  });

export const bookingListQuery = z.object({
  as: z.enum(["guest", "host"]).default("guest").openapi({
    description: "`guest`: your trips; `host`: the bookings of your listings",
  }),
  listingId: z.uuid().optional(),
  status: bookingStatusSchema.optional(),
  from: calendarDate.optional().openapi({ description: "Stays with a night on or after this date" }),
  to: calendarDate.optional().openapi({ description: "Stays with a night before this date" }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorQuery,
});

export const bookingPageSchema = pageSchema(bookingSchema, "BookingPage");
