// Writes openapi.json from the code, then the SDK's types from it (scripts/sdk/generate.ts);
// test/unit/openapi.test.ts and test/unit/sdk.test.ts fail when what is committed differs.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createApp } from "../src/app.ts";
import { parseConfig } from "../src/config.ts";
import type { DatabasePort } from "../src/db/database.ts";
import { nodeDeps } from "../src/node/deps.ts";
import { openApiDocument, serialiseDocument } from "../src/openapi.ts";

/** Describing the API needs no database. */
export const noDatabase: DatabasePort = {
  kind: "postgres",
  connect() {
    throw new Error("the OpenAPI document is built without a database");
  },
  close: async () => {},
};

export function currentDocument(): string {
  return serialiseDocument(
    openApiDocument(
      createApp(
        nodeDeps(parseConfig({ JWT_SECRET: "only-describing-the-api-no-tokens-issued" }), noDatabase),
      ),
    ),
  );
}

export const documentPath = fileURLToPath(new URL("../openapi.json", import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const document = currentDocument();
  writeFileSync(documentPath, document);
  console.log(`wrote ${documentPath}`);
  // Loaded only here: it swaps in TypeScript 5 for openapi-typescript, which nothing else needs.
  const { generateSchema, schemaPath } = await import("./sdk/generate.ts");
  writeFileSync(schemaPath, await generateSchema(document));
  console.log(`wrote ${schemaPath}`);
}
