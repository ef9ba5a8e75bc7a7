import { createRouter } from "../../http/router.ts";
import * as handlers from "./calendar.handlers.ts";
import * as routes from "./calendar.routes.ts";

export const calendarRoutes = createRouter()
  .openapi(routes.getCalendar, handlers.getHandler)
  .openapi(routes.updateCalendar, handlers.updateHandler);
