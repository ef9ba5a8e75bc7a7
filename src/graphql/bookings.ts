import { z } from "zod";
import { bookingSchema, bookingStatusSchema } from "../domain/bookings/booking-schemas.ts";
import { CALENDAR_REACH_DAYS, DEFAULT_CALENDAR_DAYS } from "../domain/bookings/calendar-rules.ts";
import { calendarSchema } from "../domain/bookings/calendar-schemas.ts";
import { getBooking } from "../domain/bookings/get-booking.ts";
import { getCalendar } from "../domain/bookings/get-calendar.ts";
import { listBookings } from "../domain/bookings/list-bookings.ts";
import { MAX_CALENDAR_DAYS } from "../domain/bookings/vocabulary.ts";
import { decodeNewestFirst } from "../http/cursor.ts";
import * as bookingRoutes from "../routes/bookings/bookings.routes.ts";
import * as calendarRoutes from "../routes/calendar/calendar.routes.ts";
import { restInput } from "./args.ts";
import { builder } from "./builder.ts";
import { connectionOf, newestFirstCursor, pageArgs } from "./connections.ts";
import { costOf } from "./cost.ts";
import { Listing } from "./listings.ts";
import { PublicProfile } from "./users.ts";
import { zodEnum, zodObject } from "./zod-types.ts";

export const Booking = zodObject(bookingSchema);

builder.objectFields(Booking, (t) => ({
  listing: t.field({
    type: Listing,
    // Its host may have unlisted it since: then only they and admins see it, as in REST.
    nullable: true,
    resolve: (booking) => booking.listingId,
  }),
  guest: t.field({ type: PublicProfile, nullable: true, resolve: (booking) => booking.guestId }),
  host: t.field({ type: PublicProfile, nullable: true, resolve: (booking) => booking.hostId }),
}));

const Calendar = zodObject(calendarSchema);

builder.objectField(Listing, "calendar", (t) =>
  t.field({
    type: Calendar,
    nullable: true,
    description: "Its dates, `available`, `blocked` or `booked`, with their prices and minimum stays.",
    // Read listing by listing: a query asking it of many listings costs as much.
    extensions: costOf(5),
    args: {
      from: t.arg({
        type: "Date",
        description: `The first date; default the listing's today, at most ${CALENDAR_REACH_DAYS} days either side of it`,
      }),
      to: t.arg({
        type: "Date",
        description: `Not included; default ${DEFAULT_CALENDAR_DAYS} days after \`from\`, at most ${MAX_CALENDAR_DAYS}`,
      }),
    },
    resolve: (listing, args, { domain }) =>
      getCalendar({
        ctx: domain,
        input: { id: listing.id, ...restInput(calendarRoutes.getCalendar.request.query, args) },
      }),
  }),
);

const BookingConnection = builder.connectionObject({ type: Booking, name: "BookingConnection" });

const BookingRole = zodEnum(
  z.enum(["guest", "host"]).meta({
    description: "Whose bookings: `guest`, your trips; `host`, the bookings of your listings.",
  }),
  "BookingRole",
);

builder.queryFields((t) => ({
  booking: t.field({
    type: Booking,
    nullable: true,
    description: "A booking: for its guest, the listing's host and admins. Needs a token.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, { domain }) =>
      getBooking({ ctx: domain, input: restInput(bookingRoutes.getBooking.request.params, args) }),
  }),
  myBookings: t.field({
    type: BookingConnection,
    nullable: true,
    description: "Your bookings as guest or as host, newest first. Needs a token.",
    args: {
      as: t.arg({ type: BookingRole, defaultValue: "guest" }),
      listingId: t.arg.id(),
      status: t.arg({ type: zodEnum(bookingStatusSchema) }),
      from: t.arg({ type: "Date", description: "Stays with a night on or after this date" }),
      to: t.arg({ type: "Date", description: "Stays with a night before this date" }),
      ...pageArgs(t.arg, 100),
    },
    resolve: async (_root, args, { domain }) => {
      const { cursor, ...filter } = restInput(bookingRoutes.listBookings.request.query, args);
      const page = await listBookings({
        ctx: domain,
        input: { ...filter, after: decodeNewestFirst(cursor) },
      });
      return connectionOf(page, newestFirstCursor);
    },
  }),
}));
