import { createApp } from "../app.ts";
import { ConfigError, parseSettings } from "../config.ts";
import type { Deps } from "../ports.ts";
import type { WorkerEnv } from "../worker-env.ts";
import { workerConfigSchema, workerDeps } from "./deps.ts";

export type BuiltWorker = { app: ReturnType<typeof createApp>; deps: Deps } | { error: ConfigError };

// Built once per isolate (per env object) and reused by every request, job, tick or alarm it serves.
const built = new WeakMap<object, BuiltWorker>();

/**
 * The app and its ports from the Worker's bindings, shared by the fetch, queue and scheduled
 * handlers and the ListingCalendar Durable Object. A bad setting is returned, not thrown, so that
 * `fetch` can answer it as a problem.
 */
export function buildWorker(env: WorkerEnv): BuiltWorker {
  const cached = built.get(env);
  if (cached) return cached;
  let result: BuiltWorker;
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
