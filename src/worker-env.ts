import type {
  ExecutionContext,
  KVNamespace,
  MessageBatch,
  Queue,
  ScheduledController,
} from "@cloudflare/workers-types/index.ts";
import type { Job } from "./ports.ts";

/** The Worker's bindings (wrangler.toml) and variables/secrets (`wrangler secret put`). */
export interface WorkerEnv {
  CACHE: KVNamespace;
  JOBS: Queue<Job>;
  [setting: string]: unknown;
}

export type { ExecutionContext, MessageBatch, ScheduledController };
