import { z } from "zod";
import { kvCache, queueJobs, workersOutbound } from "../adapters/cloudflare.ts";
import { durableCalendarLock } from "../adapters/listing-calendar.ts";
import { mailerFor } from "../adapters/resend-mailer.ts";
import { paymentsFor } from "../adapters/simulated-payments.ts";
import { jsonLogger, systemClock, uuidv7Ids } from "../adapters/system.ts";
import { upstashCache, upstashFromSettings, upstashRateLimiter } from "../adapters/upstash.ts";
import { workersRateLimiter } from "../adapters/workers-rate-limit.ts";
import { configSchema, mailSettings, paymentSettings, upstashSettings } from "../config.ts";
import { neonPort } from "../db/neon.ts";
import { deliverPaymentEvents } from "../jobs.ts";
import type { Deps } from "../ports.ts";
import type { WorkerEnv } from "../worker-env.ts";

export const workerConfigSchema = configSchema.extend({
  /** Neon connection string (a secret: `wrangler secret put DATABASE_URL`). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  /** `host:port` of test/support/neon-local.ts; only for `npm run dev` and the workerd tests. */
  NEON_LOCAL_PROXY: z
    .string()
    .regex(/^[\w.-]+:\d+$/)
    .optional(),
});

export type WorkerConfig = z.infer<typeof workerConfigSchema>;

/**
 * The Worker's ports (DESIGN §1): Neon, KV or Upstash for the cache, the rate-limit bindings or
 * Upstash, the ListingCalendar Durable Object for the calendar lock, Queues for jobs, Stripe
 * (simulated in this isolate's memory without STRIPE_SECRET_KEY, for `npm run dev`).
 */
export function workerDeps(config: WorkerConfig, env: WorkerEnv): Deps {
  const clock = systemClock;
  const logger = jsonLogger(config.LOG_LEVEL, undefined, clock);
  const upstash = upstashSettings(config);
  const redis = upstash ? upstashFromSettings(upstash) : undefined;
  const database = neonPort(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
  const deps: Deps = {
    config,
    database,
    cache: redis ? upstashCache(redis) : kvCache(env.CACHE, clock),
    rateLimiter: redis
      ? upstashRateLimiter(redis)
      : workersRateLimiter(
          [
            { binding: env.RATE_LIMIT_20_PER_MINUTE, limit: 20, windowSeconds: 60 },
            { binding: env.RATE_LIMIT_10_PER_MINUTE, limit: 10, windowSeconds: 60 },
            { binding: env.RATE_LIMIT_5_PER_MINUTE, limit: 5, windowSeconds: 60 },
          ],
          clock,
        ),
    calendarLock: durableCalendarLock(env.LISTING_CALENDAR, logger),
    jobs: queueJobs(env.JOBS),
    mailer: mailerFor(mailSettings(config), { logger, includeBody: config.APP_ENV !== "production" }),
    payments: paymentsFor(paymentSettings(config), {
      clock,
      logger,
      deliver: deliverPaymentEvents(() => deps),
    }),
    outbound: workersOutbound,
    clock,
    ids: uuidv7Ids(clock),
    logger,
    // Set by Cloudflare's edge; clients cannot forge it.
    clientIp: (request) => request.headers.get("cf-connecting-ip") ?? "unknown",
  };
  return deps;
}
