import { z } from "zod";
import { documentedEnum } from "../documented-enum.ts";
import {
  COMMENT_MAX_CHARS,
  PRIVATE_NOTE_MAX_CHARS,
  REPLY_MAX_CHARS,
  reviewCategories,
  reviewSides,
  reviewStatuses,
} from "./vocabulary.ts";

/** Reviews, described once: the API's answers and bodies, and so OpenAPI and the TypeScript types. */

const reviewStatusSchema = documentedEnum(reviewStatuses, "ReviewStatus", "Who sees a review.", {
  pending: "only its author (and admins), until both sides have reviewed or the window closes",
  published: "everyone",
  hidden: "hidden by an admin: only its author and admins see it",
});

/**
 * Text of at most `max` characters, counted as people count them (Unicode code points, so an emoji
 * is one), not as UTF-16 units or bytes. Stored as written.
 */
export const text = (max: number) =>
  z
    .string()
    .refine((value) => [...value].length <= max, `At most ${max} characters`)
    .meta({ description: `At most ${max} characters (code points)` });

const stars = z.int().min(1).max(5);
const instant = z.iso.datetime();

export const categoriesSchema = z
  .object(
    Object.fromEntries(reviewCategories.map((name) => [name, stars])) as Record<
      (typeof reviewCategories)[number],
      typeof stars
    >,
  )
  .meta({ id: "ReviewCategories", description: "Each 1–5" });

export type Categories = z.output<typeof categoriesSchema>;

export const reviewSchema = z
  .object({
    id: z.uuid(),
    bookingId: z.uuid(),
    listingId: z.uuid(),
    side: z
      .enum(reviewSides)
      .meta({ description: "`guest`: the guest's review of the stay; `host`: the host's of the guest" }),
    authorId: z.uuid(),
    subjectId: z.uuid().meta({ description: "Whom it is about: the host, or the guest" }),
    status: reviewStatusSchema,
    rating: stars,
    categories: categoriesSchema.nullable().meta({ description: "The guest's ratings by category" }),
    comment: z.string(),
    privateNote: z
      .string()
      .nullable()
      .meta({ description: "The guest's note to the host: only they two see it" }),
    wouldHostAgain: z.boolean().nullable().meta({ description: "The host's answer about the guest" }),
    reply: z
      .object({ text: z.string(), at: instant })
      .nullable()
      .meta({ description: "The host's public answer to a guest's review" }),
    hiddenReason: z.string().nullable().meta({ description: "Why an admin hid it (author and admins only)" }),
    windowClosesAt: instant.meta({ description: "Both reviews are published then, if not before" }),
    publishedAt: instant.nullable(),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: "Review", description: "A review of a stay, by its guest, or of a guest, by their host." });

export type Review = z.output<typeof reviewSchema>;

export const newReviewSchema = z
  .object({
    rating: stars,
    comment: text(COMMENT_MAX_CHARS),
    categories: categoriesSchema.optional().meta({ description: "The guest's: required from the guest" }),
    privateNote: text(PRIVATE_NOTE_MAX_CHARS)
      .optional()
      .meta({ description: "The guest's, to the host only" }),
    wouldHostAgain: z.boolean().optional().meta({ description: "The host's: required from the host" }),
  })
  .strict()
  .meta({ id: "NewReview", description: "A review to write: the guest's fields or the host's." });

export type NewReview = z.output<typeof newReviewSchema>;

export const reviewChangesSchema = newReviewSchema
  .partial()
  .strict()
  .meta({ id: "ReviewChanges", description: "The fields of a pending review to change." });
export type ReviewChanges = z.output<typeof reviewChangesSchema>;

export const replySchema = z
  .object({ text: text(REPLY_MAX_CHARS).refine((value) => value.trim().length > 0, "Must not be blank") })
  .strict()
  .meta({ id: "ReviewReply", description: "The host's public answer to a guest's review." });

export const hideReviewSchema = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .meta({ id: "ReviewHiding", description: "Why an admin hides a review (the author is told)." });

/** Averages of published reviews, to two decimals; null before the first. */
export const reviewSummarySchema = z
  .object({
    count: z.int().min(0),
    average: z.number().nullable(),
  })
  .meta({
    id: "ReviewSummary",
    description: "How many published reviews, and their average rating to two decimals.",
  });

export const listingReviewSummarySchema = reviewSummarySchema
  .extend({
    categories: z
      .object(
        Object.fromEntries(reviewCategories.map((name) => [name, z.number().nullable()])) as Record<
          (typeof reviewCategories)[number],
          z.ZodNullable<z.ZodNumber>
        >,
      )
      .meta({ description: "Average per category, to two decimals" }),
  })
  .meta({
    id: "ListingReviewSummary",
    description: "A listing's published reviews summed up: count, average and averages by category.",
  });
