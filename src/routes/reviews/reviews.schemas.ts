import { z } from "@hono/zod-openapi";
import {
  listingReviewSummarySchema,
  reviewSchema,
  reviewSummarySchema,
} from "../../domain/reviews/review-schemas.ts";
import { cursorQuery, pageSchema } from "../../http/cursor.ts";

export const reviewIdParams = z.object({
  id: z
    .uuid()
    .openapi({ param: { name: "id", in: "path" }, example: "019af3c2-8a1e-7b22-9d3f-4e5a6b7c8d9e" }),
});

export const reviewPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorQuery,
});

export const userReviewQuery = reviewPageQuery.extend({
  as: z.enum(["guest", "host"]).default("host").openapi({
    description: "`host`: what guests wrote of their stays; `guest`: what their hosts wrote of them",
  }),
});

export const listingReviewPageSchema = pageSchema(reviewSchema, "ListingReviewPage")
  .extend({ summary: listingReviewSummarySchema })
  .openapi("ListingReviews", { description: "A page of a listing's published reviews, with its averages." });

export const userReviewPageSchema = pageSchema(reviewSchema, "UserReviewPage")
  .extend({ summary: reviewSummarySchema })
  .openapi("UserReviews", { description: "A page of published reviews about a user, with their summary." });
