import { createApp } from "../../src/app.ts";
import { parseConfig } from "../../src/config.ts";
import { forwardedAddress, nodeDeps } from "../../src/node/deps.ts";
import type { Clock, Deps, LogFields, Logger, LogLevel } from "../../src/ports.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

export interface LogLine extends LogFields {
  level: LogLevel;
  message: string;
}

/** Keeps log lines in memory so tests can assert on them. */
export function memoryLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { lines, log: (level, message, fields = {}) => lines.push({ level, message, ...fields }) };
}

/** A clock tests move by hand. */
export function manualClock(start = new Date("2026-06-01T12:00:00Z")): Clock & { advance(ms: number): void } {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  /** The Node deps, with `drainJobs()` to wait for background jobs (e-mails) to finish. */
  deps: ReturnType<typeof nodeDeps>;
  db: TestDatabase;
  logger: ReturnType<typeof memoryLogger>;
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** The real app on its own fresh database, with an in-memory logger. */
export async function createTestApp(
  options: { env?: Record<string, string>; deps?: Partial<Omit<Deps, "config" | "database">> } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  const logger = memoryLogger();
  const config = parseConfig({
    APP_ENV: "test",
    JWT_SECRET: "test-secret-of-at-least-32-characters!",
    ...options.env,
  });
  // Tests say where a request comes from with X-Forwarded-For (rate limits are per IP).
  const deps = nodeDeps(config, db.database, { logger, clientIp: forwardedAddress, ...options.deps });
  const app = createApp(deps);
  return {
    app,
    deps,
    db,
    logger,
    request: async (path, init) => app.request(path, init),
    close: () => db.close(),
  };
}
