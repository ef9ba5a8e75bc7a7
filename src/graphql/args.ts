import type { z } from "zod";
import { AppError } from "../domain/errors.ts";
import { refuseInvalidInput } from "../http/router.ts";

/** What GraphQL's connections call `first` and `after`, REST calls `limit` and `cursor`. */
const restNames: Record<string, string> = { first: "limit", after: "cursor" };

/**
 * A field's arguments checked with the schema of the REST operation that reads the same thing (its
 * query or path parameters), so that both APIs accept exactly the same input, strings the database
 * cannot store included. `names` maps other arguments to REST's names (`listingId` → `id`); an
 * invalid one is named as the client sent it. An argument sent as null counts as not sent.
 */
export function restInput<S extends z.ZodType>(
  schema: S,
  args: Record<string, unknown>,
  names: Record<string, string> = {},
): z.output<S> {
  const toRest = { ...restNames, ...names };
  const sent = Object.fromEntries(
    Object.entries(args)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([name, value]) => [toRest[name] ?? name, value]),
  );
  const result = schema.safeParse(sent);
  try {
    refuseInvalidInput(
      result.success
        ? { target: "args", success: true, data: result.data }
        : { target: "args", success: false, error: result.error, data: sent },
    );
  } catch (error) {
    throw error instanceof AppError ? withGraphqlNames(error, names) : error;
  }
  return result.data as z.output<S>;
}

/**
 * The error with each field named as GraphQL names it: `names` (GraphQL → REST) reversed, and
 * REST's `limit` and `cursor` (which domain errors name too) as `first` and `after`.
 */
export function withGraphqlNames(error: AppError, names: Record<string, string> = {}): AppError {
  if (!error.errors) return error;
  const toGraphql = Object.fromEntries(Object.entries({ ...restNames, ...names }).map(([g, r]) => [r, g]));
  const errors = error.errors.map(({ field, message }) => {
    const [top = field, ...rest] = field.split(".");
    return { field: [toGraphql[top] ?? top, ...rest].join("."), message };
  });
  return new AppError(error.code, error.message, { errors, cause: error });
}
