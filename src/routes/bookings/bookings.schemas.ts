import { z } from "@hono/zod-openapi";
import { bookingSchema, calendarDate } from "../../domain/bookings/booking-schemas.ts";
import { bookingStatuses } from "../../domain/bookings/vocabulary.ts";
import { cursorQuery, pageSchema } from "../../http/cursor.ts";

export const bookingIdParams = z.object({
  id: z
    .uuid()
    .openapi({ param: { name: "id", in: "path" }, example: "019af3c2-7d4e-7a10-9c1b-2f4d5e6a7b8c" }),
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
  status: z.enum(bookingStatuses).optional(),
  from: calendarDate.optional().openapi({ description: "Stays with a night on or after this date" }),
  to: calendarDate.optional().openapi({ description: "Stays with a night before this date" }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorQuery,
});

export const bookingPageSchema = pageSchema(bookingSchema, "BookingPage");
