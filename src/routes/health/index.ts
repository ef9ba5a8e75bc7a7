import { createRouter } from "../../http/router.ts";
import { healthHandler, readyHandler } from "./health.handlers.ts";
import { health, ready } from "./health.routes.ts";

export const healthRoutes = createRouter().openapi(health, healthHandler).openapi(ready, readyHandler);
