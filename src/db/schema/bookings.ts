import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import type { Quote } from "../../domain/bookings/booking-schemas.ts";
import { bookingParties, bookingStatuses } from "../../domain/bookings/vocabulary.ts";
import { calendarImports } from "./calendar-sync.ts";
import { users } from "./identity.ts";
import { listings } from "./listings.ts";
import { conversations } from "./messages.ts";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const day = (name: string) => date(name, { mode: "string" });

/**
 * A guest's stay at a listing, check-out exclusive. Migration 0016 adds the exclusion constraint
 * that makes two date-holding bookings of one listing overlapping impossible, and the trigger that
 * keeps bookings off blocked dates.
 */
export const bookings = pgTable(
  "bookings",
  {
    id: text("id").primaryKey(),
    listingId: text("listing_id")
      .notNull()
      .references(() => listings.id),
    guestId: text("guest_id")
      .notNull()
      .references(() => users.id),
    /** The listing's host when the guest booked. */
    hostId: text("host_id")
      .notNull()
      .references(() => users.id),
    checkIn: day("check_in").notNull(),
    checkOut: day("check_out").notNull(),
    guests: integer("guests").notNull(),
    status: text("status", { enum: bookingStatuses }).notNull(),
    /** The price the guest was quoted and booked at; later price changes never touch it. */
    quote: jsonb("quote").$type<Quote>().notNull(),
    message: text("message"),
    /**
     * The guest's conversation with the host about the listing, opened (or found) when the booking
     * was made. Migration 0021 filled it in for the bookings made before conversations existed.
     */
    conversationId: text("conversation_id").references(() => conversations.id),
    /** Until when a `requested` or `pending_payment` booking holds its dates. */
    holdExpiresAt: timestamptz("hold_expires_at"),
    /** Set once, when the host accepts a request. */
    acceptedAt: timestamptz("accepted_at"),
    /** When the payment was authorised (the payments feature records it through `confirmPayment`). */
    paymentAuthorizedAt: timestamptz("payment_authorized_at"),
    cancelledBy: text("cancelled_by", { enum: bookingParties }),
    /** Minor units due back to the guest, set when a booking is cancelled. */
    refundDue: integer("refund_due"),
    createdAt: timestamptz("created_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
  },
  (t) => [
    index("bookings_guest_idx").on(t.guestId, t.createdAt, t.id),
    index("bookings_host_idx").on(t.hostId, t.createdAt, t.id),
    index("bookings_listing_idx").on(t.listingId, t.checkIn, t.id),
    index("bookings_hold_expiry_idx")
      .on(t.holdExpiresAt)
      .where(sql`${t.status} in ('requested', 'pending_payment')`),
    index("bookings_stay_end_idx").on(t.checkOut).where(sql`${t.status} = 'confirmed'`),
    check("bookings_dates_check", sql`${t.checkOut} > ${t.checkIn}`),
    check("bookings_guests_check", sql`${t.guests} >= 1`),
  ],
);

/** Every change of a booking's state: who, from what, to what, when and why. */
export const bookingEvents = pgTable(
  "booking_events",
  {
    id: text("id").primaryKey(),
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id),
    /** Null when the system acted (an expiry, a stay ending). */
    actorId: text("actor_id").references(() => users.id),
    actorRole: text("actor_role", { enum: bookingParties }).notNull(),
    fromStatus: text("from_status", { enum: bookingStatuses }),
    toStatus: text("to_status", { enum: bookingStatuses }).notNull(),
    reason: text("reason"),
    at: timestamptz("at").notNull(),
  },
  (t) => [index("booking_events_booking_idx").on(t.bookingId, t.at)],
);

/**
 * A listing's calendar where it differs from the listing's defaults: a blocked date, a price for
 * one date, or both. A date without a row is open at the nightly price. A block is the host's own,
 * or an imported calendar's (`importId`), which only that import's sync moves.
 */
export const calendarDays = pgTable(
  "calendar_days",
  {
    listingId: text("listing_id")
      .notNull()
      .references(() => listings.id),
    day: day("day").notNull(),
    blocked: boolean("blocked").notNull().default(false),
    /** Minor units of the listing's currency; null: the nightly price. */
    price: integer("price"),
    /** The import whose feed blocked the date; null for a block the host made. */
    importId: text("import_id").references(() => calendarImports.id),
  },
  (t) => [
    primaryKey({ columns: [t.listingId, t.day] }),
    index("calendar_days_import_idx").on(t.importId, t.day).where(sql`${t.importId} is not null`),
    check("calendar_days_meaningful_check", sql`${t.blocked} or ${t.price} is not null`),
    check("calendar_days_price_check", sql`${t.price} > 0`),
    check("calendar_days_import_check", sql`${t.importId} is null or ${t.blocked}`),
  ],
);
