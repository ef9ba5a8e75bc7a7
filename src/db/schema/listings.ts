import { type SQL, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import {
  type Amenity,
  cancellationPolicies,
  listingStatuses,
  type Photo,
  propertyTypes,
} from "../../domain/listings/vocabulary.ts";
import { gridCellSql } from "../grid.ts";
import { users } from "./identity.ts";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * A listing's rank when sorted by rating: its average, or -1 before its first review. Searches
 * order by this very expression, so the rating indexes serve them.
 */
export function ratingKeyOf(t: { ratingSum: AnyPgColumn; ratingCount: AnyPgColumn }): SQL<number> {
  return sql<number>`(case when ${t.ratingCount} = 0 then -1 else ${t.ratingSum}::float8 / ${t.ratingCount} end)`;
}

/** For each grid level, the cells' listings in each search order but distance (published only). */
function gridIndexes(t: {
  cell0: AnyPgColumn;
  cell1: AnyPgColumn;
  cell2: AnyPgColumn;
  cell3: AnyPgColumn;
  nightlyPrice: AnyPgColumn;
  createdAt: AnyPgColumn;
  ratingSum: AnyPgColumn;
  ratingCount: AnyPgColumn;
  id: AnyPgColumn;
  status: AnyPgColumn;
}) {
  const published = sql`${t.status} = 'published'`;
  return [t.cell0, t.cell1, t.cell2, t.cell3].flatMap((cell, level) => [
    index(`listings_cell_${level}_idx`).on(cell, t.nightlyPrice, t.id).where(published),
    index(`listings_cell_${level}_newest_idx`).on(cell, t.createdAt, t.id).where(published),
    index(`listings_cell_${level}_rating_idx`).on(cell, ratingKeyOf(t), t.id).where(published),
  ]);
}

export const listings = pgTable(
  "listings",
  {
    id: text("id").primaryKey(),
    hostId: text("host_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    description: text("description").notNull(),
    propertyType: text("property_type", { enum: propertyTypes }).notNull(),
    addressLine1: text("address_line1").notNull(),
    city: text("city").notNull(),
    region: text("region"),
    postalCode: text("postal_code"),
    country: text("country").notNull(),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    timezone: text("timezone").notNull(),
    maxGuests: integer("max_guests").notNull(),
    bedrooms: integer("bedrooms").notNull(),
    beds: integer("beds").notNull(),
    /** In half-bathroom steps (1.5 = one full and one half bathroom). */
    bathrooms: doublePrecision("bathrooms").notNull(),
    amenities: text("amenities").array().$type<Amenity[]>().notNull().default(sql`'{}'::text[]`),
    houseRules: text("house_rules"),
    checkInTime: text("check_in_time").notNull(),
    checkOutTime: text("check_out_time").notNull(),
    /** Minor units of `currency`. */
    nightlyPrice: integer("nightly_price").notNull(),
    currency: text("currency").notNull(),
    cleaningFee: integer("cleaning_fee").notNull().default(0),
    minNights: integer("min_nights").notNull().default(1),
    maxNights: integer("max_nights").notNull().default(365),
    instantBook: boolean("instant_book").notNull().default(false),
    /** How many days ahead of check-in a stay must be booked (0: today, in the listing's time zone). */
    advanceNoticeDays: integer("advance_notice_days").notNull().default(0),
    /** How far ahead a stay may start, in days. */
    bookingWindowDays: integer("booking_window_days").notNull().default(365),
    /** Percent off the nights of a stay of 7 nights or more, and of 28 nights or more. */
    weeklyDiscountPercent: integer("weekly_discount_percent").notNull().default(0),
    monthlyDiscountPercent: integer("monthly_discount_percent").notNull().default(0),
    cancellationPolicy: text("cancellation_policy", { enum: cancellationPolicies }).notNull(),
    photos: jsonb("photos").$type<Photo[]>().notNull().default([]),
    status: text("status", { enum: listingStatuses }).notNull().default("draft"),
    /** Kept by the reviews feature; the average is derived (sum / count), so it never drifts. */
    ratingSum: integer("rating_sum").notNull().default(0),
    ratingCount: integer("rating_count").notNull().default(0),
    /** The published guest reviews' category ratings, summed (each such review rates all six). */
    cleanlinessSum: integer("cleanliness_sum").notNull().default(0),
    accuracySum: integer("accuracy_sum").notNull().default(0),
    checkInSum: integer("check_in_sum").notNull().default(0),
    communicationSum: integer("communication_sum").notNull().default(0),
    locationSum: integer("location_sum").notNull().default(0),
    valueSum: integer("value_sum").notNull().default(0),
    /** Bumped on every change: the ETag, and the optimistic-concurrency check of If-Match. */
    version: integer("version").notNull().default(1),
    createdAt: timestamptz("created_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
    // The map grids a place search walks cell by cell (see src/db/grid.ts).
    cell0: integer("cell_0").generatedAlwaysAs(gridCellSql(0)),
    cell1: integer("cell_1").generatedAlwaysAs(gridCellSql(1)),
    cell2: integer("cell_2").generatedAlwaysAs(gridCellSql(2)),
    cell3: integer("cell_3").generatedAlwaysAs(gridCellSql(3)),
  },
  (t) => [
    index("listings_host_id_idx").on(t.hostId, t.createdAt, t.id),
    // Search indexes cover published listings only: drafts are never searched.
    index("listings_city_price_idx")
      .on(t.country, sql`lower(${t.city})`, t.nightlyPrice, t.id)
      .where(sql`${t.status} = 'published'`),
    index("listings_city_newest_idx")
      .on(t.country, sql`lower(${t.city})`, t.createdAt, t.id)
      .where(sql`${t.status} = 'published'`),
    index("listings_city_rating_idx")
      .on(t.country, sql`lower(${t.city})`, ratingKeyOf(t), t.id)
      .where(sql`${t.status} = 'published'`),
    // Migration 0007 rebuilt these two with INCLUDE (lat, lng): a search of a dense place sorted by
    // newest walks them and checks the place from the index.
    index("listings_price_idx").on(t.nightlyPrice, t.id).where(sql`${t.status} = 'published'`),
    index("listings_newest_idx").on(t.createdAt, t.id).where(sql`${t.status} = 'published'`),
    index("listings_rating_idx").on(ratingKeyOf(t), t.id).where(sql`${t.status} = 'published'`),
    // Boxes and radii, one grid cell at a time, in each order. Migrations 0008 and 0013 create them
    // with INCLUDE (lat, lng, other sort keys), and 0017 adds the stay rules' columns, so a cell's
    // candidates are checked from the index.
    ...gridIndexes(t),
    // Nearest-first searches (src/domain/listings/nearest-first.ts): a GiST over plain (lng, lat)
    // points finds the first candidates near a centre and every listing in a box.
    index("listings_position_idx")
      .using("gist", sql`point(${t.lng}, ${t.lat})`)
      .where(sql`${t.status} = 'published'`),
    index("listings_amenities_idx").using("gin", t.amenities).where(sql`${t.status} = 'published'`),
    index("listings_text_idx")
      .using("gin", sql`(${t.title} || ' ' || ${t.city}) gin_trgm_ops`)
      .where(sql`${t.status} = 'published'`),
    check("listings_price_check", sql`${t.nightlyPrice} > 0 and ${t.cleaningFee} >= 0`),
    check("listings_nights_check", sql`${t.minNights} >= 1 and ${t.maxNights} >= ${t.minNights}`),
    check("listings_lat_lng_check", sql`${t.lat} between -90 and 90 and ${t.lng} between -180 and 180`),
    check("listings_rating_check", sql`${t.ratingCount} >= 0`),
    check(
      "listings_booking_settings_check",
      sql`${t.advanceNoticeDays} between 0 and 30 and ${t.bookingWindowDays} between 30 and 730
        and ${t.weeklyDiscountPercent} between 0 and 90 and ${t.monthlyDiscountPercent} between 0 and 90`,
    ),
  ],
);
