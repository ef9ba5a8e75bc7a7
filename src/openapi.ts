import { type App, openApiConfig } from "./app.ts";

/** The OpenAPI 3.1 document the app serves at /openapi.json, as committed in openapi.json. */
export function openApiDocument(app: App) {
  return app.getOpenAPI31Document(openApiConfig);
}

export function serialiseDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
