import { isDatabaseError, postgresCode } from "../../lib/postgres-errors.ts";

/** The longest error summary kept for admins. */
export const MAX_JOB_ERROR_LENGTH = 300;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What admins are shown of why a job failed: the error's name, and its SQLSTATE for a database
 * error (whose message holds the query's values: never shown), else the first line of its message
 * with what could be a secret taken out (URLs past their host, e-mail addresses, credentials after
 * `key=`-like labels or `Bearer`, long token-like runs; ids in UUID form stay), cut to
 * MAX_JOB_ERROR_LENGTH characters.
 */
export function describeJobError(error: unknown): string {
  if (!(error instanceof Error))
    return truncate(typeof error === "string" ? `Error: ${redact(error)}` : "unknown");
  if (isDatabaseError(error)) {
    const code = postgresCode(error);
    return truncate(code ? `${error.name}: SQLSTATE ${code}` : error.name);
  }
  const firstLine = error.message.split("\n", 1)[0]?.trim() ?? "";
  return truncate(firstLine ? `${error.name}: ${redact(firstLine)}` : error.name);
}

function redact(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/@"'<>]*@)?([^\s/?#"'<>]+)[^\s"'<>]*/gi, "$1$2/…")
    .replace(/[^\s@"'<>]+@[^\s@"'<>]+\.[a-z]{2,}/gi, "[email]")
    .replace(/\b(bearer|basic)\s+\S+/gi, "$1 [redacted]")
    .replace(
      /\b(password|passwd|secret|token|api[_-]?key|key|authorization|signature)(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi,
      "$1$2[redacted]",
    )
    .replace(/[A-Za-z0-9_\-+/=]{24,}/g, (run) => (UUID.test(run) ? run : "[redacted]"));
}

function truncate(text: string): string {
  return text.length <= MAX_JOB_ERROR_LENGTH ? text : `${text.slice(0, MAX_JOB_ERROR_LENGTH - 1)}…`;
}
