import { OpenAPIHono, type z } from "@hono/zod-openapi";
import { AppError, type FieldError } from "../domain/errors.ts";
import type { AppEnv } from "./types.ts";

const locations: Record<string, string> = {
  json: "body",
  form: "body",
  query: "query",
  param: "path",
  header: "header",
  cookie: "cookie",
};

/** One entry per invalid field; never the raw ZodError (it carries regexes and internals). */
export function fieldErrors(target: string, error: z.ZodError): FieldError[] {
  const prefix = locations[target] ?? target;
  return error.issues.map((issue) => ({
    location: [prefix, ...issue.path.map(String)].join("."),
    // Zod's own message for a regex names the pattern: an internal detail and no help to a user.
    message: issue.code === "invalid_format" && issue.format === "regex" ? "Invalid format" : issue.message,
  }));
}

/** The only way to make a router: every route it carries answers bad input with problem+json 400. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const errors = fieldErrors(result.target, result.error);
      throw new AppError(
        "VALIDATION_FAILED",
        `The request has ${errors.length} invalid field${errors.length === 1 ? "" : "s"}.`,
        { errors },
      );
    },
  });
}
