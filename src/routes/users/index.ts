import { createRouter } from "../../http/router.ts";
import * as handlers from "./users.handlers.ts";
import * as routes from "./users.routes.ts";

// `/users/me` before `/users/{id}`: the first match wins.
export const usersRoutes = createRouter()
  .openapi(routes.me, handlers.meHandler)
  .openapi(routes.updateMe, handlers.updateMeHandler)
  .openapi(routes.changePassword, handlers.changePasswordHandler)
  .openapi(routes.getUser, handlers.getUserHandler);
