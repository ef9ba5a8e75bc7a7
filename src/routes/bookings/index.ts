import { createRouter } from "../../http/router.ts";
import * as handlers from "./bookings.handlers.ts";
import * as routes from "./bookings.routes.ts";

export const bookingsRoutes = createRouter()
  .openapi(routes.quoteBooking, handlers.quoteHandler)
  .openapi(routes.createBooking, handlers.createHandler)
  .openapi(routes.getBooking, handlers.getHandler)
  .openapi(routes.acceptBooking, handlers.acceptHandler)
  .openapi(routes.declineBooking, handlers.declineHandler)
  .openapi(routes.cancelBooking, handlers.cancelHandler)
  .openapi(routes.listBookings, handlers.listHandler);
