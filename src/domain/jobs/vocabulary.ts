/**
 * Where a failed job stands (`job_failures.status`):
 * - `retrying`: it failed, and the engine runs it again after a back-off;
 * - `dead`: out of attempts (or abandoned at a stop); only an admin's retry runs it again;
 * - `retried`: an admin sent it again; it has neither failed nor completed since;
 * - `resolved`: a later attempt completed it.
 */
export const jobFailureStatuses = ["retrying", "dead", "retried", "resolved"] as const;
export type JobFailureStatus = (typeof jobFailureStatuses)[number];
