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

export const UNIQUE_VIOLATION = "23505";
