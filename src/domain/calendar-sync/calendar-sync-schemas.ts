import { z } from "zod";
import { calendarDate } from "../bookings/booking-schemas.ts";
import { documentedEnum } from "../documented-enum.ts";
import { checkFeedUrl } from "./feed-target.ts";
import { importConflictReasons, MAX_FEED_URL_LENGTH, MAX_IMPORTS_PER_LISTING } from "./vocabulary.ts";

/**
 * Calendar sync, described once: a listing's iCalendar export URL, and the calendars its host
 * imports from other sites, with what their last sync did.
 */

export const calendarExportSchema = z
  .object({
    url: z.url().meta({
      description:
        "The listing's iCalendar feed. Anyone with it can read which dates are booked or blocked (never by whom): " +
        "paste it into other sites' calendar import, share it with no one else, and rotate it if it leaks.",
      example:
        "https://api.stayedge.dev/v1/listings/019af3c2-7d4e-7a10-9c1b-2f4d5e6a7b8c/calendar.ics?token=8Hq0tWc3bJ5mX1rZ2yN7vK4pL6sD9fA0gE3hU5iO2wQ",
    }),
    createdAt: z.iso.datetime().meta({ description: "When this URL was made (it changes on rotation)" }),
  })
  .meta({ id: "CalendarExport", description: "The secret URL of a listing's iCalendar feed." });

export type CalendarExport = z.output<typeof calendarExportSchema>;

export const importConflictSchema = z
  .object({
    from: calendarDate,
    to: calendarDate.meta({ description: "The day after the last date", example: "2027-03-15" }),
    reason: documentedEnum(
      importConflictReasons,
      "CalendarImportConflictReason",
      "Why dates an imported calendar marks busy were not blocked here.",
      {
        booked: "a booking here holds them: a double booking to resolve with one of the guests",
        blocked: "the host blocked them here already; they stay the host's block",
        imported: "another imported calendar of the listing blocks them already",
      },
    ),
  })
  .meta({
    id: "CalendarImportConflict",
    description:
      "Dates `[from, to)` that an imported calendar marks busy but that could not be blocked for it.",
  });

export const importStatuses = ["pending", "synced", "failing"] as const;

export const calendarImportSchema = z
  .object({
    id: z.uuid(),
    listingId: z.uuid(),
    url: z.string().meta({
      description: "The feed, as fetched (`webcal://` is read as `https://`)",
      example: "https://www.airbnb.com/calendar/ical/12345678.ics?s=0a1b2c3d4e5f",
    }),
    name: z.string().nullable().meta({ description: "The host's name for it", example: "Airbnb" }),
    status: documentedEnum(importStatuses, "CalendarImportStatus", "Where the import stands.", {
      pending: "not fetched yet: the next sync fetches it",
      synced: "the last fetch succeeded and its dates were applied",
      failing: "the last fetch failed (`lastError` says why); the dates of the last good fetch stay",
    }),
    createdAt: z.iso.datetime(),
    lastFetchedAt: z.iso.datetime().nullable().meta({ description: "The last attempt, successful or not" }),
    lastSyncedAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: "The last fetch whose dates were applied" }),
    nextFetchAt: z.iso.datetime().meta({ description: "When it is fetched next, at the earliest" }),
    lastError: z.string().nullable().meta({
      description: "Why the last fetch failed, or which of its events could not be read",
      example: null,
    }),
    blockedDays: z.int().min(0).meta({ description: "How many dates it blocks now", example: 5 }),
    conflicts: z.array(importConflictSchema).meta({
      description: "Dates of the last applied feed that could not be blocked: the rest of the feed applied",
    }),
  })
  .meta({
    id: "CalendarImport",
    description:
      "A calendar of another site that a listing imports: its busy dates become blocks of the listing, " +
      "updated on every sync. Blocks the host made are never touched.",
  });

export type CalendarImport = z.output<typeof calendarImportSchema>;

export const calendarImportListSchema = z
  .object({
    items: z
      .array(calendarImportSchema)
      .meta({ description: `At most ${MAX_IMPORTS_PER_LISTING}, oldest first` }),
  })
  .meta({ id: "CalendarImportList", description: "A listing's imported calendars." });

export const newCalendarImportSchema = z
  .object({
    url: z
      .string()
      .max(MAX_FEED_URL_LENGTH)
      .superRefine((url, ctx) => {
        const checked = checkFeedUrl(url);
        if (!checked.ok) ctx.addIssue({ code: "custom", message: checked.problem });
      })
      .meta({
        description:
          "The other site's iCalendar export URL: `https://` (or `webcal://`), on a public host. Private, " +
          "loopback and link-local addresses, and names such as `localhost` or `*.internal`, are refused.",
        example: "https://www.airbnb.com/calendar/ical/12345678.ics?s=0a1b2c3d4e5f",
      }),
    name: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .optional()
      .meta({ description: "A name for it", example: "Airbnb" }),
  })
  .strict()
  .meta({ id: "NewCalendarImport", description: "A calendar to import into a listing." });

export type NewCalendarImport = z.output<typeof newCalendarImportSchema>;
