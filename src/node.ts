import { serve } from "@hono/node-server";
import { z } from "zod";
import { createApp } from "./app.ts";
import { ConfigError, configSchema, parseSettings } from "./config.ts";
import { sweepExpired } from "./domain/maintenance/sweep-expired.ts";
import { jobHandlers } from "./jobs.ts";
import { openNodeDatabase } from "./node/database.ts";
import { nodeDeps } from "./node/deps.ts";
import { LockedError } from "./node/lock-file.ts";

const nodeConfigSchema = configSchema.extend({
  // 0 picks a free port (the "listening" log line says which).
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().optional(),
  /** Where the embedded PGlite database lives; ignored when DATABASE_URL is set. */
  DATA_DIR: z.string().default(".data"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** How often expired records are swept, in seconds. */
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().positive().default(300),
});

async function main(): Promise<void> {
  const config = parseSettings(nodeConfigSchema, process.env);
  const opened = await openNodeDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const deps = nodeDeps(config, opened.database, {}, jobHandlers);
  const app = createApp(deps);
  const log = deps.logger;

  const sweep = setInterval(() => {
    const handle = deps.database.connect();
    sweepExpired({ ctx: { db: handle.db, deps } })
      .then((removed) => log.log("debug", "sweep", { removed }))
      .catch((error: unknown) =>
        log.log("error", "sweep.failed", { error: error instanceof Error ? error.name : "unknown" }),
      )
      .finally(() => handle.release());
  }, config.SWEEP_INTERVAL_SECONDS * 1000);
  sweep.unref();

  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    const base = `http://localhost:${info.port}`;
    log.log("info", "listening", { url: base, database: opened.location, migrationsApplied: opened.applied });
    console.error(
      `\nstayedge is listening on ${base}\n  API reference  ${base}/docs\n  OpenAPI        ${base}/openapi.json\n  database       ${opened.location}\nPress Ctrl-C to stop.\n`,
    );
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log("info", "stopping", { signal });
    clearInterval(sweep);
    // Let in-flight requests finish; a stuck one must not keep the process (and its lock) forever.
    const force = setTimeout(() => {
      log.log("error", "stop.timeout", {});
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close(() => {
      deps
        .drainJobs()
        .then(() => opened.close())
        .then(() => process.exit(0))
        .catch(() => process.exit(1));
    });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof LockedError) {
    console.error(`stayedge: ${error.message}`);
  } else {
    console.error(
      "stayedge: failed to start:",
      error instanceof Error ? (error.stack ?? error.message) : error,
    );
  }
  process.exit(1);
});
