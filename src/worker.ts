import { createApp } from "./app.ts";
import { ConfigError, parseSettings } from "./config.ts";
import { AppError } from "./domain/errors.ts";
import { problemResponse } from "./http/problem.ts";
import { runJob, scheduledTick } from "./jobs.ts";
import type { Deps, Job } from "./ports.ts";
import { workerConfigSchema, workerDeps } from "./worker/deps.ts";
import type { ExecutionContext, MessageBatch, ScheduledController, WorkerEnv } from "./worker-env.ts";

type Built = { app: ReturnType<typeof createApp>; deps: Deps } | { error: ConfigError };

// Built once per isolate (per env object) and reused by every request the isolate serves.
const built = new WeakMap<object, Built>();

function build(env: WorkerEnv): Built {
  const cached = built.get(env);
  if (cached) return cached;
  let result: Built;
  try {
    const deps = workerDeps(parseSettings(workerConfigSchema, env), env);
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
