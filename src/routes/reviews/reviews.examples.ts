import type { z } from "@hono/zod-openapi";
import type { Review } from "../../domain/reviews/review-schemas.ts";
import { exampleIds } from "../example-ids.ts";
import type { listingReviewPageSchema, userReviewPageSchema } from "./reviews.schemas.ts";

/**
 * The reference's examples of reviews: the guest's review of the stay of `bookings.examples.ts`
 * (check-out 15 March 2027 at 11:00 in Paris, so the window closes 29 March at 11:00), published
 * when the host reviewed too, then answered by the host.
 */

/** Just written by the guest, as they see it: pending until the host reviews or the window closes. */
export const newReviewExample: Review = {
  id: exampleIds.review,
  bookingId: exampleIds.booking,
  listingId: exampleIds.listing,
  side: "guest",
  authorId: exampleIds.guest,
  subjectId: exampleIds.host,
  status: "pending",
  rating: 5,
  categories: { cleanliness: 5, accuracy: 5, checkIn: 4, communication: 5, location: 5, value: 4 },
  comment: "Spotless flat, warm welcome, ten minutes from the station.",
  privateNote: "The shower drain is slow.",
  wouldHostAgain: null,
  reply: null,
  hiddenReason: null,
  windowClosesAt: "2027-03-29T09:00:00.000Z",
  publishedAt: null,
  createdAt: "2027-03-16T08:41:27.334Z",
  updatedAt: "2027-03-16T08:41:27.334Z",
};

/** Edited by its author before it was published. */
export const editedReviewExample: Review = {
  ...newReviewExample,
  rating: 4,
  updatedAt: "2027-03-16T21:10:04.618Z",
};

/** Published, and answered, as its host sees it (the private note is theirs to read). */
export const repliedReviewExample: Review = {
  ...newReviewExample,
  status: "published",
  reply: { text: "Thank you, come back soon!", at: "2027-03-18T07:32:19.045Z" },
  publishedAt: "2027-03-17T19:05:12.876Z",
  updatedAt: "2027-03-18T07:32:19.045Z",
};

/** Published and answered, as anyone sees it. */
export const reviewExample: Review = { ...repliedReviewExample, privateNote: null };

/** Hidden by an admin, as the admin sees it. */
export const hiddenReviewExample: Review = {
  ...reviewExample,
  status: "hidden",
  hiddenReason: "Personal details of the host",
  updatedAt: "2027-03-20T11:16:48.502Z",
};

export const listingReviewPageExample: z.output<typeof listingReviewPageSchema> = {
  items: [reviewExample],
  nextCursor: null,
  summary: {
    count: 1,
    average: 5,
    categories: { cleanliness: 5, accuracy: 5, checkIn: 4, communication: 5, location: 5, value: 4 },
  },
};

export const userReviewPageExample: z.output<typeof userReviewPageSchema> = {
  items: [reviewExample],
  nextCursor: null,
  summary: { count: 1, average: 5 },
};
