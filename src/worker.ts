import { z } from "zod";
import { kvCache, queueJobs } from "./adapters/cloudflare.ts";
import { logMailer } from "./adapters/log-mailer.ts";
import { memoryCalendarLock } from "./adapters/memory.ts";
import { jsonLogger, systemClock, uuidv7Ids } from "./adapters/system.ts";
import { upstashCache, upstashFromSettings, upstashRateLimiter } from "./adapters/upstash.ts";
import { workersRateLimiter } from "./adapters/workers-rate-limit.ts";
import { createApp } from "./app.ts";
import { ConfigError, configSchema, parseSettings, upstashSettings } from "./config.ts";
import { neonPort } from "./db/neon.ts";
import { AppError } from "./domain/errors.ts";
import { problemResponse } from "./http/problem.ts";
import { runJob, scheduledTick } from "./jobs.ts";
import type { Deps, Job } from "./ports.ts";
import type { ExecutionContext, MessageBatch, ScheduledController, WorkerEnv } from "./worker-env.ts";

const workerConfigSchema = configSchema.extend({
  /** Neon connection string (a secret: `wrangler secret put DATABASE_URL`). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  /** `host:port` of test/support/neon-local.ts; only for `npm run dev` and the workerd tests. */
  NEON_LOCAL_PROXY: z
    .string()
    .regex(/^[\w.-]+:\d+$/)
    .optional(),
});

type Built = { app: ReturnType<typeof createApp>; deps: Deps } | { error: ConfigError };

// Built once per isolate (per env object) and reused by every request the isolate serves.
const built = new WeakMap<object, Built>();

function build(env: WorkerEnv): Built {
  const cached = built.get(env);
  if (cached) return cached;
  let result: Built;
  try {
    const config = parseSettings(workerConfigSchema, env);
    const clock = systemClock;
    const logger = jsonLogger(config.LOG_LEVEL);
    const upstash = upstashSettings(config);
    const redis = upstash ? upstashFromSettings(upstash) : undefined;
    const deps: Deps = {
      config,
      database: neonPort(config.DATABASE_URL, config.NEON_LOCAL_PROXY),
      cache: redis ? upstashCache(redis) : kvCache(env.CACHE),
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
      // Per isolate; the ListingCalendar Durable Object replaces it with the bookings feature.
      calendarLock: memoryCalendarLock(),
      jobs: queueJobs(env.JOBS),
      mailer: logMailer(logger, { includeBody: config.APP_ENV !== "production" }),
      clock,
      ids: uuidv7Ids(clock),
      logger,
      // Set by Cloudflare's edge; clients cannot forge it.
      clientIp: (request) => request.headers.get("cf-connecting-ip") ?? "unknown",
    };
    result = { app: createApp(deps), deps };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    result = { error };
  }
  built.set(env, result);
  return result;
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response> {
    const result = build(env);
    if ("error" in result) {
      console.log(
        JSON.stringify({ level: "error", message: "bad environment", settings: result.error.settings }),
      );
      const detail = `The server is misconfigured: ${result.error.settings.join(", ")}.`;
      return problemResponse(new AppError("BAD_ENVIRONMENT", detail), `req_${crypto.randomUUID()}`);
    }
    return result.app.fetch(request, env, ctx);
  },

  async queue(batch: MessageBatch<Job>, env: WorkerEnv): Promise<void> {
    const result = build(env);
    if ("error" in result) throw result.error;
    for (const message of batch.messages) {
      try {
        await runJob(message.body, result.deps);
        message.ack();
      } catch (error) {
        result.deps.logger.log("warn", "job.retry", {
          topic: message.body.topic,
          attempts: message.attempts,
          error: error instanceof Error ? error.name : "unknown",
        });
        message.retry({ delaySeconds: Math.min(600, 2 ** message.attempts) });
      }
    }
  },

  async scheduled(_controller: ScheduledController, env: WorkerEnv): Promise<void> {
    const result = build(env);
    if ("error" in result) throw result.error;
    await scheduledTick(result.deps);
  },
};
