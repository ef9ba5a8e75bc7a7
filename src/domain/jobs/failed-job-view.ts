import type { jobFailures } from "../../db/schema/index.ts";
import type { FailedJob } from "./failed-job-schemas.ts";

/** Keys whose values admins are not shown: message bodies, links (reset tokens ride in them), credentials. */
const REDACTED_KEY = /text|html|body|token|secret|password|passwd|link|url|signature|^key$|api_?key/i;
const MAX_DEPTH = 6;

/** A job_failures row as admins see it: the payload with what could be a secret redacted. */
export function failedJobView(row: typeof jobFailures.$inferSelect): FailedJob {
  const payload = redact(row.payload, 0);
  return {
    jobId: row.jobId,
    topic: row.topic,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    payload: isRecord(payload) ? payload : { value: payload },
    firstFailedAt: row.firstFailedAt.toISOString(),
    lastFailedAt: row.lastFailedAt.toISOString(),
    retriedAt: row.retriedAt?.toISOString() ?? null,
    retriedBy: row.retriedBy,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

function redact(value: unknown, depth: number): unknown {
  if (depth >= MAX_DEPTH) return "[redacted]";
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      REDACTED_KEY.test(key) ? "[redacted]" : redact(item, depth + 1),
    ]),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
