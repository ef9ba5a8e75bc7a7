import { OpenAPIHono, type z } from "@hono/zod-openapi";
import { AppError, type FieldError } from "../domain/errors.ts";
import type { AppEnv } from "./types.ts";

/** Where each validation target sits in a request, as problem `errors[].location` names it. */
const locations: Record<string, string> = {
  json: "body",
  form: "body",
  query: "query",
  param: "path",
  header: "header",
  cookie: "cookie",
};

const at = (prefix: string, path: ReadonlyArray<PropertyKey>) => [prefix, ...path.map(String)].join(".");

/** One entry per invalid field; never the raw ZodError (it carries regexes and internals). */
export function fieldErrors(target: string, error: z.ZodError): FieldError[] {
  const prefix = locations[target] ?? target;
  return error.issues.flatMap((issue) => {
    // An unknown key is named where it was sent, one error per key, not at the object holding it.
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        return { field: path.map(String).join("."), location: at(prefix, path), message: "Unknown field" };
      });
    }
    return [
      {
        field: issue.path.map(String).join("."),
        location: at(prefix, issue.path),
        // Zod's own message for a regex names the pattern: an internal detail and no help to a user.
        message:
          issue.code === "invalid_format" && issue.format === "regex" ? "Invalid format" : issue.message,
      },
    ];
  });
}

/**
 * The path to the first string in `value` that PostgreSQL cannot store as text: one holding U+0000,
 * or not well-formed UTF-16 (a lone surrogate has no UTF-8 form).
 */
export function unstorableText(value: unknown, path: string[] = []): string[] | undefined {
  if (typeof value === "string") {
    return value.includes("\u0000") || !value.isWellFormed() ? path : undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = unstorableText(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

const UNSTORABLE = "Must not contain NUL characters or unpaired UTF-16 surrogates";

function validationFailed(errors: FieldError[]): AppError {
  const detail = `The request has ${errors.length} invalid field${errors.length === 1 ? "" : "s"}.`;
  return new AppError("VALIDATION_FAILED", detail, { errors });
}

/** What a validator found in one part of a request (`target`: `json`, `query`, `header`, …). */
export type ValidationResult = { target: string; data?: unknown } & (
  | { success: true }
  | { success: false; error: z.ZodError }
);

/**
 * Throws the 400 for bad input: fields the schema refused, and any string the database could not
 * store (NUL, lone surrogates). Every router's validation hook, and middleware that must validate
 * a part of the request before the route's validators run.
 */
export function refuseInvalidInput(result: ValidationResult): void {
  const prefix = locations[result.target] ?? result.target;
  // What was sent when validation failed, what it parsed to when it passed.
  const path = unstorableText(result.data);
  const unstorable = path ? [{ field: path.join("."), location: at(prefix, path), message: UNSTORABLE }] : [];
  const errors = result.success ? [] : fieldErrors(result.target, result.error);
  if (errors.length + unstorable.length > 0) throw validationFailed([...unstorable, ...errors]);
}

/**
 * The only way to make a router: every route it carries answers bad input with problem+json 400,
 * and no validated value that the database could not store (NUL, lone surrogates) reaches a handler.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: refuseInvalidInput });
}
