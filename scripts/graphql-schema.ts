// Writes schema.graphql from the code; test/unit/graphql-schema.test.ts fails when what is committed differs.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { lexicographicSortSchema, printSchema } from "graphql";
import { schema } from "../src/graphql/schema.ts";

export const schemaPath = fileURLToPath(new URL("../schema.graphql", import.meta.url));

export function currentSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaPath, currentSchema());
  console.log(`wrote ${schemaPath}`);
}
