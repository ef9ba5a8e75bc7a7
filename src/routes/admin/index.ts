import { createRouter } from "../../http/router.ts";
import * as handlers from "./admin.handlers.ts";
import * as routes from "./admin.routes.ts";
import * as jobHandlers from "./jobs.handlers.ts";
import * as jobRoutes from "./jobs.routes.ts";

export const adminRoutes = createRouter()
  .openapi(routes.listUsers, handlers.listUsersHandler)
  .openapi(routes.suspendUser, handlers.suspendUserHandler)
  .openapi(routes.reinstateUser, handlers.reinstateUserHandler)
  .openapi(routes.grantAdmin, handlers.grantAdminHandler)
  .openapi(jobRoutes.listFailedJobs, jobHandlers.listFailedJobsHandler)
  .openapi(jobRoutes.retryJob, jobHandlers.retryJobHandler);
