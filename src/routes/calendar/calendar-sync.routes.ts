import { createRoute, z } from "@hono/zod-openapi";
import {
  calendarExportSchema,
  calendarImportListSchema,
  calendarImportSchema,
  newCalendarImportSchema,
} from "../../domain/calendar-sync/calendar-sync-schemas.ts";
import { feedReadLimit } from "../../domain/calendar-sync/export-calendar.ts";
import { FEED_LIMITS } from "../../domain/calendar-sync/fetch-feed.ts";
import { SYNC_INTERVAL_MS } from "../../domain/calendar-sync/sync-calendar-import.ts";
import { MAX_IMPORTS_PER_LISTING } from "../../domain/calendar-sync/vocabulary.ts";
import { jsonBody, jsonContent } from "../../http/json.ts";
import { signedIn } from "../../http/middleware/auth.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import { exampleIds } from "../example-ids.ts";
import { listingIdParams } from "../listings/listings.schemas.ts";
import {
  addedImportExample,
  calendarExportExample,
  feedExample,
  feedTokenExample,
  newImportExample,
  rotatedExportExample,
  syncedImportExample,
} from "./calendar-sync.examples.ts";

const header = (description: string) => ({ schema: { type: "string" as const }, description });
const notYours = {
  404: problemResponseFor("No such listing, or not yours to manage", {
    NOT_FOUND: "No listing with this id.",
  }),
};
const hostOnly = "Host or admin; anyone else is answered 404, whatever the listing's status.";

export const exportCalendar = createRoute({
  method: "get",
  path: "/listings/{id}/calendar.ics",
  operationId: "calendar.export",
  tags: ["Calendar"],
  summary: "The listing's iCalendar feed",
  description:
    "An RFC 5545 calendar of the listing's booked stays (`Reserved`) and the dates its host blocked " +
    "(`Not available`), as all-day events, for other sites and calendar apps to import. No token here: " +
    "the secret in the URL (from `calendar.exportUrl`) is the credential, and a wrong or rotated one is " +
    "404. Never shows who booked. Dates imported from other calendars are left out, so that sites " +
    "importing each other do not echo each other's blocks. Send `If-None-Match` with the ETag to get 304. " +
    `At most ${feedReadLimit.limit} reads a minute of one listing's feed from one client (429 with ` +
    "`Retry-After` beyond, whatever the token).",
  security: [],
  request: {
    params: listingIdParams,
    query: z.object({
      // Optional and of any shape (up to a length) in the schema: a URL without its secret, or with
      // a malformed one, is a URL of no feed (404), like a wrong one.
      token: z.string().max(128).optional().openapi({
        description: "The feed's secret, as `calendar.exportUrl` gives it (without it: 404)",
        example: feedTokenExample,
      }),
    }),
  },
  responses: {
    200: {
      description: "The calendar",
      headers: {
        ETag: header("Weak: changes when the events change"),
        "Cache-Control": header("`private, no-cache`: a rotated URL stops working at once"),
      },
      content: {
        "text/calendar": {
          schema: z.string().openapi({ description: "iCalendar text, CRLF line endings" }),
          example: feedExample,
        },
      },
    },
    304: { description: "Not modified since the ETag in If-None-Match" },
    404: problemResponseFor("No feed at this URL (a wrong, rotated or never issued token)", {
      NOT_FOUND: "No calendar feed at this URL.",
    }),
    ...errorResponses,
  },
});

export const getExportUrl = createRoute({
  method: "get",
  path: "/listings/{id}/calendar/export",
  operationId: "calendar.exportUrl",
  tags: ["Calendar"],
  summary: "The listing's iCalendar feed URL",
  description: `The secret URL of \`calendar.export\`, made on the first read, the same until rotated. ${hostOnly}`,
  ...signedIn,
  request: { params: listingIdParams },
  responses: {
    200: { description: "The feed URL", content: jsonContent(calendarExportSchema, calendarExportExample) },
    ...authResponses,
    ...notYours,
    ...errorResponses,
  },
});

export const rotateExportUrl = createRoute({
  method: "post",
  path: "/listings/{id}/calendar/export/rotate",
  operationId: "calendar.rotateExportUrl",
  tags: ["Calendar"],
  summary: "Replace the feed URL's secret",
  description:
    "A new secret URL for the feed; the previous one answers 404 from now on (paste the new one " +
    `wherever the old one was). ${hostOnly}`,
  ...signedIn,
  request: { params: listingIdParams },
  responses: {
    200: {
      description: "The new feed URL",
      content: jsonContent(calendarExportSchema, rotatedExportExample),
    },
    ...authResponses,
    ...notYours,
    ...errorResponses,
  },
});

export const listImports = createRoute({
  method: "get",
  path: "/listings/{id}/calendar/imports",
  operationId: "calendar.listImports",
  tags: ["Calendar"],
  summary: "The calendars a listing imports",
  description: `Each imported calendar with its last sync, its error if it failed, and its conflicts. ${hostOnly}`,
  ...signedIn,
  request: { params: listingIdParams },
  responses: {
    200: {
      description: "The listing's imports",
      content: jsonContent(calendarImportListSchema, { items: [syncedImportExample] }),
    },
    ...authResponses,
    ...notYours,
    ...errorResponses,
  },
});

export const addImport = createRoute({
  method: "post",
  path: "/listings/{id}/calendar/imports",
  operationId: "calendar.addImport",
  tags: ["Calendar"],
  summary: "Import another site's calendar",
  description:
    "Its busy dates become blocks of the listing, fetched within minutes and again every " +
    `${SYNC_INTERVAL_MS / 60_000} minutes, with back-off while it fails. Dates that a booking or ` +
    "another block holds are not overwritten: the import lists them as `conflicts`. Only https URLs " +
    `on public hosts (400 on \`body.url\` otherwise); a feed may be at most ${FEED_LIMITS.maxBytes / 1_048_576} MiB, ` +
    `answer within ${FEED_LIMITS.timeoutMs / 1000} s and redirect at most ${FEED_LIMITS.maxRedirects} times. ` +
    `At most ${MAX_IMPORTS_PER_LISTING} a listing. ${hostOnly}`,
  ...signedIn,
  request: { params: listingIdParams, body: jsonBody(newCalendarImportSchema, newImportExample) },
  responses: {
    201: {
      description: "Imported; the next sync fetches it",
      headers: { Location: header("The listing's imports") },
      content: jsonContent(calendarImportSchema, addedImportExample),
    },
    ...authResponses,
    ...notYours,
    409: problemResponseFor("Imported already, or too many imports", {
      CONFLICT: "This listing imports this calendar already.",
    }),
    ...errorResponses,
  },
});

export const removeImport = createRoute({
  method: "delete",
  path: "/listings/{id}/calendar/imports/{importId}",
  operationId: "calendar.removeImport",
  tags: ["Calendar"],
  summary: "Stop importing a calendar",
  description: `The dates it blocked open again; the host's own blocks stay. ${hostOnly}`,
  ...signedIn,
  request: {
    params: listingIdParams.extend({
      importId: z
        .uuid()
        .openapi({ param: { name: "importId", in: "path" }, example: exampleIds.calendarImport }),
    }),
  },
  responses: {
    204: { description: "Removed, and its blocks with it" },
    ...authResponses,
    404: problemResponseFor("No such listing or import, or not yours to manage", {
      NOT_FOUND: "No calendar import with this id on this listing.",
    }),
    ...errorResponses,
  },
});
