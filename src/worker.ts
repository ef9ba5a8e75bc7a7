import { AppError } from "./domain/errors.ts";
import { problemResponse } from "./http/problem.ts";
import { runJob, scheduledTick } from "./jobs.ts";
import type { Job } from "./ports.ts";
import { buildWorker } from "./worker/build.ts";
import type { ExecutionContext, MessageBatch, ScheduledController, WorkerEnv } from "./worker-env.ts";

/** The Durable Object that serialises date holds per listing and expires them on time (DESIGN §3). */
export { ListingCalendar } from "./worker/listing-calendar.ts";

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response> {
    const result = buildWorker(env);
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
    const result = buildWorker(env);
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
    const result = buildWorker(env);
    if ("error" in result) throw result.error;
    await scheduledTick(result.deps);
  },
};
