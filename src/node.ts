import { serve } from "@hono/node-server";
import { z } from "zod";
import { createApp } from "./app.ts";
import { ConfigError, configSchema, parseSettings } from "./config.ts";
import { withDatabase } from "./db/database.ts";
import { loadMigrations } from "./db/migrations-fs.ts";
import { DEMO_PASSWORD, demoAccounts, seedDemoData } from "./domain/demo/seed-demo-data.ts";
import { scheduledTick } from "./jobs.ts";
import { toBase64Url } from "./lib/base64url.ts";
import { type OpenedDatabase, openNodeDatabase } from "./node/database.ts";
import { forwardedAddress, nodeDeps, socketAddress } from "./node/deps.ts";
import { LockedError } from "./node/lock-file.ts";
import type { Deps } from "./ports.ts";

const nodeConfigSchema = configSchema.extend({
  // 0 picks a free port (the "listening" log line says which).
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().optional(),
  /** Where the embedded PGlite database lives; ignored when DATABASE_URL is set. */
  DATA_DIR: z.string().default(".data"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Seed demo accounts into a new database. Default: on for the embedded PGlite, off for DATABASE_URL. */
  SEED_DEMO_DATA: z.stringbool().optional(),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  TRUST_PROXY: z.stringbool().default(false),
  /** How often expired records are swept, in seconds. */
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().positive().default(300),
});

async function main(): Promise<void> {
  // Zero-config start: outside production a missing JWT_SECRET gets a random one for this process
  // (access tokens then end with it; refresh tokens live in the database and survive).
  const env: Record<string, string | undefined> = { ...process.env };
  const ephemeralSecret = !env.JWT_SECRET && env.APP_ENV !== "production";
  if (ephemeralSecret) env.JWT_SECRET = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const config = parseSettings(nodeConfigSchema, env);
  const opened = await openNodeDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  // On PostgreSQL, jobs go through pg-boss in the same database, shared with every other process.
  const deps = nodeDeps(
    config,
    opened.database,
    { clientIp: config.TRUST_PROXY ? forwardedAddress : socketAddress },
    config.DATABASE_URL ? { pgBoss: { connectionString: config.DATABASE_URL } } : {},
  );
  const app = createApp(deps);
  const log = deps.logger;
  await deps.startJobs();
  const seeded = await seedIfNew(config.SEED_DEMO_DATA ?? !config.DATABASE_URL, opened, deps);
  if (ephemeralSecret)
    log.log("warn", "JWT_SECRET is not set: using a random key until this process stops", {});

  const sweep = setInterval(() => {
    scheduledTick(deps).catch((error: unknown) =>
      log.log("error", "tick.failed", { error: error instanceof Error ? error.name : "unknown" }),
    );
  }, config.SWEEP_INTERVAL_SECONDS * 1000);
  sweep.unref();

  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    const base = `http://localhost:${info.port}`;
    const payments = deps.payments.simulation ? "simulated (no STRIPE_SECRET_KEY)" : "Stripe";
    const jobs =
      deps.jobsEngine === "pg-boss" ? "pg-boss (shared by every process on this database)" : "in process";
    log.log("info", "listening", {
      url: base,
      database: opened.location,
      migrationsApplied: opened.applied,
      payments,
      jobs: deps.jobsEngine,
    });
    const demo = seeded
      ? `  demo accounts  ${demoAccounts.map((a) => a.email).join(", ")} (password: ${DEMO_PASSWORD})\n`
      : "";
    console.error(
      `\nstayedge is listening on ${base}\n  API reference  ${base}/docs\n  OpenAPI        ${base}/openapi.json\n  database       ${opened.location}\n  payments       ${payments}\n  jobs           ${jobs}\n${demo}Press Ctrl-C to stop.\n`,
    );
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log("info", "stopping", { signal });
    clearInterval(sweep);
    // Requests first, then jobs (the last requests may have queued some), each given its own 10 s:
    // a stuck one must not keep the process (and its lock) forever.
    const deadline = (stage: string) => {
      const force = setTimeout(() => {
        log.log("error", "stop.timeout", { stage });
        process.exit(1);
      }, 10_000);
      force.unref();
      return force;
    };
    const requests = deadline("requests");
    server.close(() => {
      clearTimeout(requests);
      deadline("jobs");
      deps
        .stopJobs()
        .then(() => opened.close())
        .then(() => process.exit(0))
        .catch(() => process.exit(1));
    });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

/** Seeds only a database this start created (every migration applied now), never an existing one. */
async function seedIfNew(enabled: boolean, opened: OpenedDatabase, deps: Deps): Promise<boolean> {
  if (!enabled || opened.applied < loadMigrations().length) return false;
  const count = await withDatabase(deps.database, (db) => seedDemoData({ ctx: { db, deps }, input: {} }));
  deps.logger.log("info", "seeded", { accounts: count });
  return count > 0;
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
