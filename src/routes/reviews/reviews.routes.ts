import { createRoute } from "@hono/zod-openapi";
import {
  hideReviewSchema,
  newReviewSchema,
  replySchema,
  reviewChangesSchema,
  reviewSchema,
} from "../../domain/reviews/review-schemas.ts";
import { jsonBody, jsonContent } from "../../http/json.ts";
import { adminOnly, optionalAuth, signedIn } from "../../http/middleware/auth.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import { bookingIdParams } from "../bookings/bookings.schemas.ts";
import { listingIdParams } from "../listings/listings.schemas.ts";
import { idParams } from "../users/users.schemas.ts";
import {
  editedReviewExample,
  hiddenReviewExample,
  listingReviewPageExample,
  newReviewExample,
  repliedReviewExample,
  reviewExample,
  userReviewPageExample,
} from "./reviews.examples.ts";
import {
  listingReviewPageSchema,
  reviewIdParams,
  reviewPageQuery,
  userReviewPageSchema,
  userReviewQuery,
} from "./reviews.schemas.ts";

const noSuchReview = {
  404: problemResponseFor("No such review, or not yours to see", { NOT_FOUND: "No review with this id." }),
};

export const createReview = createRoute({
  method: "post",
  path: "/bookings/{id}/reviews",
  operationId: "reviews.create",
  tags: ["Reviews"],
  summary: "Review a stay (guest) or a guest (host)",
  description:
    "For a `completed` booking, within 14 days of its check-out (the listing's wall clock), once per " +
    "side. The guest rates the stay overall and by category and may leave a private note to the host; " +
    "the host rates the guest and says whether they would host them again. Double-blind: the review " +
    "is hidden, from the other side too, until both have reviewed or the window closes.",
  ...signedIn,
  request: {
    params: bookingIdParams,
    body: jsonBody(newReviewSchema, {
      rating: 5,
      comment: "Spotless flat, warm welcome, ten minutes from the station.",
      categories: { cleanliness: 5, accuracy: 5, checkIn: 4, communication: 5, location: 5, value: 4 },
      privateNote: "The shower drain is slow.",
    }),
  },
  responses: {
    201: {
      description: "The review, pending or (if the other side reviewed) published",
      content: jsonContent(reviewSchema, newReviewExample),
    },
    ...authResponses,
    404: problemResponseFor("No such booking, or not yours", { NOT_FOUND: "No booking with this id." }),
    409: problemResponseFor(
      "Reviewed already (`CONFLICT`), or the stay is not completed or its window closed (`INVALID_STATE`)",
      {
        CONFLICT: "You reviewed this stay already: edit that review instead.",
        INVALID_STATE: "The stay's reviews closed at 2027-03-29T09:00:00.000Z.",
      },
    ),
    ...errorResponses,
  },
});

export const getReview = createRoute({
  method: "get",
  path: "/reviews/{id}",
  operationId: "reviews.get",
  tags: ["Reviews"],
  summary: "A review",
  description: "A published review, for anyone; a pending or hidden one, for its author and admins only.",
  security: [{} as Record<string, string[]>, { bearerAuth: [] }],
  middleware: [optionalAuth],
  request: { params: reviewIdParams },
  responses: {
    200: { description: "The review", content: jsonContent(reviewSchema, reviewExample) },
    ...noSuchReview,
    ...errorResponses,
  },
});

export const updateReview = createRoute({
  method: "patch",
  path: "/reviews/{id}",
  operationId: "reviews.update",
  tags: ["Reviews"],
  summary: "Edit your review before it is published",
  description:
    "Only the fields sent change, with the same rules as when it was written. For its author, until " +
    "it is published or its window closes.",
  ...signedIn,
  request: { params: reviewIdParams, body: jsonBody(reviewChangesSchema, { rating: 4 }) },
  responses: {
    200: { description: "The review", content: jsonContent(reviewSchema, editedReviewExample) },
    ...authResponses,
    ...noSuchReview,
    409: problemResponseFor("Published already, or its window closed (`INVALID_STATE`)", {
      INVALID_STATE: "A published review, or one whose window closed, can no longer be edited.",
    }),
    ...errorResponses,
  },
});

export const replyToReview = createRoute({
  method: "post",
  path: "/reviews/{id}/reply",
  operationId: "reviews.reply",
  tags: ["Reviews"],
  summary: "Answer a guest's review of your stay",
  description:
    "Once, publicly, at most 500 characters. Until a review is published it is 404 to the host too.",
  ...signedIn,
  request: { params: reviewIdParams, body: jsonBody(replySchema, { text: "Thank you, come back soon!" }) },
  responses: {
    200: {
      description: "The review with its answer",
      content: jsonContent(reviewSchema, repliedReviewExample),
    },
    ...authResponses,
    403: problemResponseFor(authResponses[403].description, {
      FORBIDDEN: "Only the host answers a guest's review of their stay.",
    }),
    ...noSuchReview,
    409: problemResponseFor("Answered already (`CONFLICT`)", {
      CONFLICT: "This review has its answer already.",
    }),
    ...errorResponses,
  },
});

export const listListingReviews = createRoute({
  method: "get",
  path: "/listings/{id}/reviews",
  operationId: "reviews.listForListing",
  tags: ["Reviews"],
  summary: "A listing's reviews",
  description: "Published guest reviews, newest first, with the listing's averages overall and by category.",
  security: [{} as Record<string, string[]>, { bearerAuth: [] }],
  middleware: [optionalAuth],
  request: { params: listingIdParams, query: reviewPageQuery },
  responses: {
    200: {
      description: "A page of reviews",
      content: jsonContent(listingReviewPageSchema, listingReviewPageExample),
    },
    404: problemResponseFor("No such published listing", { NOT_FOUND: "No listing with this id." }),
    ...errorResponses,
  },
});

export const listUserReviews = createRoute({
  method: "get",
  path: "/users/{id}/reviews",
  operationId: "reviews.listForUser",
  tags: ["Reviews"],
  summary: "Reviews about a user",
  description:
    "Published reviews about a user as a host (`as=host`) or as a guest (`as=guest`), newest first.",
  security: [],
  request: { params: idParams, query: userReviewQuery },
  responses: {
    200: {
      description: "A page of reviews",
      content: jsonContent(userReviewPageSchema, userReviewPageExample),
    },
    404: problemResponseFor("No such user", { NOT_FOUND: "No user with this id." }),
    ...errorResponses,
  },
});

export const hideReview = createRoute({
  method: "post",
  path: "/admin/reviews/{id}/hide",
  operationId: "admin.hideReview",
  tags: ["Admin"],
  summary: "Hide a review (admins)",
  description: "It leaves every list and its listing's rating; its author is told why by e-mail.",
  ...adminOnly,
  request: {
    params: reviewIdParams,
    body: jsonBody(hideReviewSchema, { reason: "Personal details of the host" }),
  },
  responses: {
    200: { description: "The hidden review", content: jsonContent(reviewSchema, hiddenReviewExample) },
    ...authResponses,
    ...noSuchReview,
    409: problemResponseFor("Hidden already (`INVALID_STATE`)", {
      INVALID_STATE: "This review is hidden already.",
    }),
    ...errorResponses,
  },
});
