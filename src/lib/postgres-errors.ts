/** The SQLSTATE of a driver error, looked up through drizzle's wrapping (`cause` chain). */
export function postgresCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e === "object" && "code" in e && typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) {
      return e.code;
    }
    e = e instanceof Error ? e.cause : undefined;
  }
  return undefined;
}

/**
 * Whether an error came from the database: it has a SQLSTATE, or it is drizzle's query error
 * (its message and `params` hold the query's values: e-mails, password hashes). Such an error's
 * message and stack are never logged.
 */
export function isDatabaseError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e === "object" && ("params" in e || "query" in e)) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return postgresCode(error) !== undefined;
}

export const UNIQUE_VIOLATION = "23505";
