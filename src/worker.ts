import { z } from "zod";
import { kvCache, queueJobs } from "./adapters/cloudflare.ts";
import { memoryCalendarLock, memoryRateLimiter } from "./adapters/memory.ts";
import { jsonLogger, systemClock, uuidv7Ids } from "./adapters/system.ts";
import { createApp } from "./app.ts";
import { ConfigError, configSchema, parseSettings } from "./config.ts";
import { neonPort } from "./db/neon.ts";
import { AppError } from "./domain/errors.ts";
import { sweepExpired } from "./domain/maintenance/sweep-expired.ts";
import { problemResponse } from "./http/problem.ts";
import { jobHandlers } from "./jobs.ts";
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
    const deps: Deps = {
      config,
      database: neonPort(config.DATABASE_URL, config.NEON_LOCAL_PROXY),
      cache: kvCache(env.CACHE),
      // Until the Upstash / rate-limit-binding adapters land with the features that need them,
      // limits are counted per isolate.
      rateLimiter: memoryRateLimiter(clock),
      // Per isolate; the ListingCalendar Durable Object replaces it with the bookings feature.
      calendarLock: memoryCalendarLock(),
      jobs: queueJobs(env.JOBS),
      clock,
      ids: uuidv7Ids(clock),
      logger: jsonLogger(config.LOG_LEVEL),
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
      const handler = jobHandlers.get(message.body.topic);
      if (!handler) {
        result.deps.logger.log("error", "job.unhandled", { topic: message.body.topic });
        message.ack();
        continue;
      }
      try {
        await handler(message.body);
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

  async scheduled(controller: ScheduledController, env: WorkerEnv): Promise<void> {
    const result = build(env);
    if ("error" in result) throw result.error;
    const { deps } = result;
    const handle = deps.database.connect();
    try {
      const removed = await sweepExpired({ ctx: { db: handle.db, deps } });
      deps.logger.log("info", "cron", { cron: controller.cron, removed });
    } finally {
      await handle.release();
    }
  },
};
