import { memoryCache, memoryCalendarLock, memoryJobs, memoryRateLimiter } from "../adapters/memory.ts";
import { jsonLogger, systemClock, uuidv7Ids } from "../adapters/system.ts";
import type { Config } from "../config.ts";
import type { DatabasePort } from "../db/database.ts";
import type { Deps, JobHandler } from "../ports.ts";

/** The Node runtime's ports: in-process cache, limiter, lock and jobs (DESIGN §1). */
export function nodeDeps(
  config: Config,
  database: DatabasePort,
  overrides: Partial<Omit<Deps, "config" | "database">> = {},
  jobHandlers: ReadonlyMap<string, JobHandler> = new Map(),
): Deps & { drainJobs(): Promise<void> } {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? jsonLogger(config.LOG_LEVEL, undefined, clock);
  const jobs = memoryJobs(jobHandlers, logger);
  return {
    config,
    database,
    cache: memoryCache(clock),
    rateLimiter: memoryRateLimiter(clock),
    calendarLock: memoryCalendarLock(),
    jobs,
    clock,
    ids: uuidv7Ids(clock),
    logger,
    ...overrides,
    drainJobs: () => jobs.drain(),
  };
}
