import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { reviewSides, reviewStatuses } from "../../domain/reviews/vocabulary.ts";
import { bookings } from "./bookings.ts";
import { users } from "./identity.ts";
import { listings } from "./listings.ts";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const stars = (name: string) => integer(name);

/**
 * A review of a completed stay: the guest's (of the stay, with the six categories and a private
 * note to the host) or the host's (of the guest, and whether they would host them again). One per
 * side per booking. Text is stored as written.
 */
export const reviews = pgTable(
  "reviews",
  {
    id: text("id").primaryKey(),
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id),
    listingId: text("listing_id")
      .notNull()
      .references(() => listings.id),
    side: text("side", { enum: reviewSides }).notNull(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    /** Whom it is about: the host for a guest's review, the guest for a host's. */
    subjectId: text("subject_id")
      .notNull()
      .references(() => users.id),
    status: text("status", { enum: reviewStatuses }).notNull(),
    rating: stars("rating").notNull(),
    cleanliness: stars("cleanliness"),
    accuracy: stars("accuracy"),
    checkIn: stars("check_in"),
    communication: stars("communication"),
    location: stars("location"),
    value: stars("value"),
    comment: text("comment").notNull(),
    privateNote: text("private_note"),
    wouldHostAgain: boolean("would_host_again"),
    reply: text("reply"),
    repliedAt: timestamptz("replied_at"),
    hiddenReason: text("hidden_reason"),
    /** When the booking's review window closes: a pending review is published then. */
    windowClosesAt: timestamptz("window_closes_at").notNull(),
    publishedAt: timestamptz("published_at"),
    createdAt: timestamptz("created_at").notNull(),
    updatedAt: timestamptz("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("reviews_one_per_side_idx").on(t.bookingId, t.side),
    index("reviews_listing_idx")
      .on(t.listingId, t.publishedAt, t.id)
      .where(sql`${t.status} = 'published' and ${t.side} = 'guest'`),
    index("reviews_subject_idx")
      .on(t.subjectId, t.side, t.publishedAt, t.id)
      .where(sql`${t.status} = 'published'`),
    index("reviews_due_idx").on(t.windowClosesAt).where(sql`${t.status} = 'pending'`),
    check(
      "reviews_stars_check",
      sql`${t.rating} between 1 and 5 and coalesce(${t.cleanliness}, 1) between 1 and 5
        and coalesce(${t.accuracy}, 1) between 1 and 5 and coalesce(${t.checkIn}, 1) between 1 and 5
        and coalesce(${t.communication}, 1) between 1 and 5 and coalesce(${t.location}, 1) between 1 and 5
        and coalesce(${t.value}, 1) between 1 and 5`,
    ),
    // A guest rates every category; a host none, and says whether they would host the guest again.
    check(
      "reviews_side_check",
      sql`(${t.side} = 'guest' and ${t.cleanliness} is not null and ${t.accuracy} is not null
          and ${t.checkIn} is not null and ${t.communication} is not null and ${t.location} is not null
          and ${t.value} is not null and ${t.wouldHostAgain} is null)
        or (${t.side} = 'host' and ${t.cleanliness} is null and ${t.privateNote} is null
          and ${t.wouldHostAgain} is not null and ${t.reply} is null)`,
    ),
  ],
);
