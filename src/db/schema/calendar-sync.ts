import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { ImportConflict } from "../../domain/calendar-sync/vocabulary.ts";
import { listings } from "./listings.ts";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * A listing's iCalendar export: the secret its feed URL carries. Kept as it is (not hashed) so the
 * host can be shown the URL again; it is compared in constant time, and rotating replaces it.
 */
export const calendarExports = pgTable("calendar_exports", {
  listingId: text("listing_id")
    .primaryKey()
    .references(() => listings.id),
  /** 256 random bits, base64url. */
  token: text("token").notNull(),
  createdAt: timestamptz("created_at").notNull(),
});

/**
 * A calendar (iCalendar feed on another site) a host imports into a listing: fetched by the
 * periodic tick from `nextFetchAt` on, its busy dates become blocks of calendar_days that the import
 * owns (`calendar_days.import_id`).
 */
export const calendarImports = pgTable(
  "calendar_imports",
  {
    id: text("id").primaryKey(),
    listingId: text("listing_id")
      .notNull()
      .references(() => listings.id),
    url: text("url").notNull(),
    /** The host's name for it ("Airbnb"). */
    name: text("name"),
    createdAt: timestamptz("created_at").notNull(),
    /** When the tick fetches it next; a claimed import's is pushed ahead by a lease. */
    nextFetchAt: timestamptz("next_fetch_at").notNull(),
    lastFetchedAt: timestamptz("last_fetched_at"),
    /** When a fetch last succeeded and its dates were applied. */
    lastSyncedAt: timestamptz("last_synced_at"),
    lastError: text("last_error"),
    /** Failed fetches in a row: the back-off grows with them. */
    failures: integer("failures").notNull().default(0),
    /** Busy dates of the last applied feed that could not be blocked. */
    conflicts: jsonb("conflicts").$type<ImportConflict[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex("calendar_imports_listing_url_idx").on(t.listingId, t.url),
    index("calendar_imports_due_idx").on(t.nextFetchAt),
    check("calendar_imports_failures_check", sql`${t.failures} >= 0`),
  ],
);
