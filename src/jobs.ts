import type { JobHandler } from "./ports.ts";

/**
 * Background job handlers by topic, shared by both runtimes (Queues consumer on Workers, the
 * in-process queue on Node). Features add theirs here.
 */
export const jobHandlers: ReadonlyMap<string, JobHandler> = new Map<string, JobHandler>([]);
