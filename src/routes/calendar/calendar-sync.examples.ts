import type { CalendarExport, CalendarImport } from "../../domain/calendar-sync/calendar-sync-schemas.ts";
import { writeIcal } from "../../domain/calendar-sync/ical-write.ts";
import { exampleIds } from "../example-ids.ts";
import { listingExample } from "../listings/listings.examples.ts";

/**
 * The reference's calendar sync: the loft of `listingExample`, booked from 2027-03-12 to
 * 2027-03-15 and blocked from 2027-03-20 to 2027-03-23 (as in calendar.examples.ts), importing
 * its Airbnb calendar, one of whose stays clashes with the booking.
 */

const token = "8Hq0tWc3bJ5mX1rZ2yN7vK4pL6sD9fA0gE3hU5iO2wQ";

export const feedTokenExample = token;

export const calendarExportExample: CalendarExport = {
  url: `https://api.stayedge.dev/v1/listings/${exampleIds.listing}/calendar.ics?token=${token}`,
  createdAt: "2027-03-01T09:30:00.000Z",
};

export const rotatedExportExample: CalendarExport = {
  url: `https://api.stayedge.dev/v1/listings/${exampleIds.listing}/calendar.ics?token=Zr4kQ9mW2xT7vB1nC6yH3jL8pS0dF5gA2eU7iO4wE1q`,
  createdAt: "2027-03-02T16:05:00.000Z",
};

/** What the feed answers: the booked stay, then the host's block. No guest, no booking id. */
export const feedExample = writeIcal({
  name: listingExample.title,
  stamp: new Date("2027-03-10T08:00:00Z"),
  events: [
    {
      uid: "5e0c7a1d9b3f4e2a8c6d1f0b7a9e3c5d@stayedge",
      from: "2027-03-12",
      to: "2027-03-15",
      summary: "Reserved",
    },
    {
      uid: "b41f6e2c8d0a4b7e9f3c5a1d2e8b6f0c@stayedge",
      from: "2027-03-20",
      to: "2027-03-23",
      summary: "Not available",
    },
  ],
});

export const newImportExample = {
  url: "https://www.airbnb.com/calendar/ical/12345678.ics?s=0a1b2c3d4e5f",
  name: "Airbnb",
};

/** Just added: the next tick fetches it. */
export const addedImportExample: CalendarImport = {
  id: exampleIds.calendarImport,
  listingId: exampleIds.listing,
  url: newImportExample.url,
  name: newImportExample.name,
  status: "pending",
  createdAt: "2027-03-01T09:31:00.000Z",
  lastFetchedAt: null,
  lastSyncedAt: null,
  nextFetchAt: "2027-03-01T09:31:00.000Z",
  lastError: null,
  blockedDays: 0,
  conflicts: [],
};

/** Synced: it blocks five dates, and one of its stays clashes with a booking here. */
export const syncedImportExample: CalendarImport = {
  ...addedImportExample,
  status: "synced",
  lastFetchedAt: "2027-03-10T08:00:04.000Z",
  lastSyncedAt: "2027-03-10T08:00:04.000Z",
  nextFetchAt: "2027-03-10T08:30:04.000Z",
  blockedDays: 5,
  conflicts: [{ from: "2027-03-13", to: "2027-03-15", reason: "booked" }],
};
