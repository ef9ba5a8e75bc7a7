import { z } from "zod";
import { currencyCode, timeZone } from "../listings/codes.ts";
import { MAX_PRICE } from "../listings/vocabulary.ts";
import { calendarDate } from "./booking-schemas.ts";
import { planChanges } from "./calendar-changes.ts";
import { CALENDAR_REACH_DAYS } from "./calendar-rules.ts";
import { MAX_CALENDAR_DAYS } from "./vocabulary.ts";

/**
 * A listing's calendar, described once: the API's answer (and so OpenAPI and the TypeScript type),
 * and the host's change of it. Dates are the listing's local dates; ranges end before `to`.
 */

export const calendarDayStatuses = ["available", "blocked", "booked"] as const;

export const calendarDaySchema = z
  .object({
    date: calendarDate,
    status: z.enum(calendarDayStatuses).meta({
      description:
        "`available`: open to book; `booked`: a booking holds the night (who booked is never shown); `blocked`: the host closed it",
    }),
    price: z.int().min(0).meta({
      description: "Minor units of `currency`: the date's own price, else the listing's nightly price",
      example: 12500,
    }),
    minNights: z
      .int()
      .min(1)
      .meta({ description: "The shortest stay that may start on this date", example: 2 }),
  })
  .meta({ id: "CalendarDay", description: "One date of a listing's calendar." });

export const calendarSchema = z
  .object({
    listingId: z.uuid(),
    timezone: timeZone.meta({
      description: "The listing's IANA time zone, where its dates are",
      example: "Europe/Paris",
    }),
    currency: currencyCode,
    from: calendarDate,
    to: calendarDate.meta({ description: "The day after the last date shown", example: "2027-04-11" }),
    days: z
      .array(calendarDaySchema)
      .meta({ description: "Each date from `from` up to, not including, `to`" }),
  })
  .meta({
    id: "Calendar",
    description: "A listing's dates in a range: each open, blocked or booked, at its price.",
  });

export type Calendar = z.output<typeof calendarSchema>;
export type CalendarDay = z.output<typeof calendarDaySchema>;

const range = {
  from: calendarDate,
  to: calendarDate.meta({
    description: `Not included; at most ${MAX_CALENDAR_DAYS} days after \`from\``,
    example: "2027-03-15",
  }),
};

export const dateRangeSchema = z
  .object(range)
  .strict()
  .meta({ id: "DateRange", description: "Dates from `from` to `to` (exclusive)." });

export const priceRangeSchema = z
  .object({
    ...range,
    price: z
      .int()
      .min(1)
      .max(MAX_PRICE)
      .meta({ description: "Minor units of the listing's currency, for each night", example: 15900 }),
  })
  .strict()
  .meta({ id: "PriceRange", description: "A nightly price for the dates from `from` to `to` (exclusive)." });

const MAX_RANGES = 100;
const ranges = <S extends z.ZodType>(schema: S, description: string) =>
  z.array(schema).max(MAX_RANGES).optional().meta({ description });

export const calendarChangesSchema = z
  .object({
    block: ranges(
      dateRangeSchema,
      "Close these dates to bookings. A booked date cannot be blocked (409 `DATES_UNAVAILABLE`).",
    ),
    unblock: ranges(dateRangeSchema, "Open these dates again"),
    setPrice: ranges(priceRangeSchema, "Price these dates, instead of the nightly price"),
    clearPrice: ranges(dateRangeSchema, "Price these dates at the nightly price again"),
  })
  .strict()
  .superRefine(
    (changes, ctx) => {
      for (const { path, message } of planChanges(changes).problems) {
        ctx.addIssue({ code: "custom", path, message });
      }
    },
    // Ranges are compared once each of them is valid (and there are at most MAX_RANGES a kind).
    { when: (payload) => payload.issues.length === 0 },
  )
  .meta({
    id: "CalendarChanges",
    description:
      "At least one range. Applied together or not at all, to dates from the listing's today to " +
      `${CALENDAR_REACH_DAYS} days ahead, all within ${MAX_CALENDAR_DAYS} days of the earliest. No ` +
      "date may be both blocked and unblocked, or given two prices. Bookings keep the price they were quoted.",
  });

export type CalendarChangesInput = z.output<typeof calendarChangesSchema>;
