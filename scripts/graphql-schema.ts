// Writes schema.graphql from the code; test/unit/graphql-schema.test.ts fails when what is committed differs.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { lexicographicSortSchema, printSchema } from "graphql";
import { schema } from "../src/graphql/schema.ts";

export const schemaPath = fileURLToPath(new URL("../schema.graphql", import.meta.url));

/**
 * The schema as graphql-js prints it, its one-line descriptions spread over three lines as Biome
 * formats them (so that `npm run lint` passes over the file).
 */
export function currentSchema(): string {
  const printed = printSchema(lexicographicSortSchema(schema));
  return `${printed.replace(/^( *)"""(.*)"""$/gm, '$1"""\n$1$2\n$1"""')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaPath, currentSchema());
  console.log(`wrote ${schemaPath}`);
}
