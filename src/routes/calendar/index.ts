import { createRouter } from "../../http/router.ts";
import * as handlers from "./calendar.handlers.ts";
import * as routes from "./calendar.routes.ts";
import * as syncHandlers from "./calendar-sync.handlers.ts";
import * as syncRoutes from "./calendar-sync.routes.ts";

export const calendarRoutes = createRouter()
  .openapi(routes.getCalendar, handlers.getHandler)
  .openapi(routes.updateCalendar, handlers.updateHandler)
  .openapi(syncRoutes.exportCalendar, syncHandlers.exportHandler)
  .openapi(syncRoutes.getExportUrl, syncHandlers.exportUrlHandler)
  .openapi(syncRoutes.rotateExportUrl, syncHandlers.rotateHandler)
  .openapi(syncRoutes.listImports, syncHandlers.listImportsHandler)
  .openapi(syncRoutes.addImport, syncHandlers.addImportHandler)
  .openapi(syncRoutes.removeImport, syncHandlers.removeImportHandler);
