import { memoryCache, memoryCalendarLock, memoryRateLimiter } from "../adapters/memory.ts";
import { nodeOutbound } from "../adapters/node-outbound.ts";
import { mailerFor } from "../adapters/resend-mailer.ts";
import { paymentsFor } from "../adapters/simulated-payments.ts";
import { jsonLogger, systemClock, uuidv7Ids } from "../adapters/system.ts";
import { upstashCache, upstashFromSettings, upstashRateLimiter } from "../adapters/upstash.ts";
import { type Config, mailSettings, paymentSettings, upstashSettings } from "../config.ts";
import type { DatabasePort } from "../db/database.ts";
import { topics } from "../domain/outbox/topics.ts";
import { deliverPaymentEvents } from "../jobs.ts";
import type { Deps } from "../ports.ts";
import { nodeJobs, type PgBossSettings } from "./node-jobs.ts";

/**
 * The Node runtime's ports (DESIGN §1): in-process lock; jobs on pg-boss with `pgBoss` (PostgreSQL),
 * else in process; cache and limiter in process, or Upstash when configured. Start the jobs with
 * `startJobs()` and stop them with `stopJobs()`.
 */
export function nodeDeps(
  config: Config,
  database: DatabasePort,
  overrides: Partial<Omit<Deps, "config" | "database">> = {},
  options: { pgBoss?: PgBossSettings } = {},
): Deps & {
  jobsEngine: "memory" | "pg-boss";
  drainJobs(): Promise<void>;
  startJobs(): Promise<void>;
  stopJobs(): Promise<void>;
} {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? jsonLogger(config.LOG_LEVEL, undefined, clock);
  const engine = nodeJobs(() => deps, { config, logger, pgBoss: options.pgBoss });
  const { jobs } = engine;
  const upstash = upstashSettings(config);
  const redis = upstash ? upstashFromSettings(upstash) : undefined;
  const deps: Deps = {
    config,
    database,
    cache: redis ? upstashCache(redis) : memoryCache(clock),
    rateLimiter: redis ? upstashRateLimiter(redis) : memoryRateLimiter(clock),
    calendarLock: memoryCalendarLock({
      clock,
      onDue: (listingId) => void jobs.enqueue({ topic: topics.settleBookings, payload: { listingId } }),
    }),
    jobs,
    mailer: mailerFor(mailSettings(config), { logger, includeBody: config.APP_ENV !== "production" }),
    payments: paymentsFor(paymentSettings(config), {
      clock,
      logger,
      deliver: deliverPaymentEvents(() => deps),
    }),
    outbound: nodeOutbound(),
    clock,
    ids: uuidv7Ids(clock),
    logger,
    clientIp: socketAddress,
    ...overrides,
  };
  return {
    ...deps,
    jobsEngine: engine.engine,
    drainJobs: engine.drain,
    startJobs: engine.start,
    stopJobs: engine.stop,
  };
}

/** The peer address of the socket (@hono/node-server passes `{ incoming }` as the env). */
export function socketAddress(_request: Request, env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "unknown";
}

/**
 * Behind one reverse proxy (TRUST_PROXY=true): the right-most `X-Forwarded-For` address, the one
 * the proxy wrote. Addresses left of it came from the client, who may write anything there.
 */
export function forwardedAddress(request: Request, env: unknown): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return forwarded || socketAddress(request, env);
}
