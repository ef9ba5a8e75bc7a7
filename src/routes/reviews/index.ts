import { createRouter } from "../../http/router.ts";
import * as handlers from "./reviews.handlers.ts";
import * as routes from "./reviews.routes.ts";

export const reviewsRoutes = createRouter()
  .openapi(routes.createReview, handlers.createHandler)
  .openapi(routes.getReview, handlers.getHandler)
  .openapi(routes.updateReview, handlers.updateHandler)
  .openapi(routes.replyToReview, handlers.replyHandler)
  .openapi(routes.listListingReviews, handlers.listForListingHandler)
  .openapi(routes.listUserReviews, handlers.listForUserHandler)
  .openapi(routes.hideReview, handlers.hideHandler);
