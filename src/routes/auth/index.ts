import { createRouter } from "../../http/router.ts";
import * as handlers from "./auth.handlers.ts";
import * as routes from "./auth.routes.ts";

export const authRoutes = createRouter()
  .openapi(routes.register, handlers.registerHandler)
  .openapi(routes.login, handlers.loginHandler)
  .openapi(routes.refresh, handlers.refreshHandler)
  .openapi(routes.logout, handlers.logoutHandler)
  .openapi(routes.requestPasswordReset, handlers.requestPasswordResetHandler)
  .openapi(routes.resetPassword, handlers.resetPasswordHandler);
