// Generates sdk/src/schema.ts from the OpenAPI document; test/unit/sdk.test.ts fails when they differ.
import { register } from "node:module";
import { fileURLToPath } from "node:url";

// openapi-typescript needs TypeScript 5's compiler API: the hook must be in place before it loads.
register("./typescript-5-hook.ts", import.meta.url);
const { COMMENT_HEADER, astToString, default: openapiTS } = await import("openapi-typescript");

export const schemaPath = fileURLToPath(new URL("../../sdk/src/schema.ts", import.meta.url));

interface Document {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
}

/** `METHOD /path` of every operation whose parameters include the `Idempotency-Key` header. */
export function idempotentOperations(document: Document): string[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, operation]) =>
        (operation.parameters ?? []).some(
          (p) => p.in === "header" && p.name.toLowerCase() === "idempotency-key",
        ),
      )
      .map(([method]) => `${method.toUpperCase()} ${path}`),
  );
}

/** The SDK's types for `document` (openapi.json's text), with the list the client reads at run time. */
export async function generateSchema(document: string): Promise<string> {
  const idempotent = idempotentOperations(JSON.parse(document) as Document);
  const inject = [
    "/** Operations whose parameters include the `Idempotency-Key` header (`METHOD /path`). */",
    `export const idempotentOperations: readonly string[] = ${JSON.stringify(idempotent)};`,
  ].join("\n");
  // A fresh parse: the generator may annotate the object it is given. A field with a default is
  // optional in a request (its default otherwise makes openapi-typescript require it).
  const ast = await openapiTS(JSON.parse(document), { inject, silent: true, defaultNonNullable: false });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}
