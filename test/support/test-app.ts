import type { RouteConfig } from "@hono/zod-openapi";
import { createApp } from "../../src/app.ts";
import { parseConfig } from "../../src/config.ts";
import { forwardedAddress, nodeDeps } from "../../src/node/deps.ts";
import type { PgBossSettings } from "../../src/node/node-jobs.ts";
import type { Clock, Deps, LogFields, Logger, LogLevel } from "../../src/ports.ts";
import { type ApiAnswer, type CallInput, callRoute } from "./api.ts";
import { offlineOutbound } from "./fake-feeds.ts";
import {
  type Answer,
  checkAnswer,
  describeMismatch,
  documentedRoutes,
  mediaTypeOf,
  UndocumentedAnswer,
} from "./response-check.ts";
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
  /**
   * The app's answer to a request, once checked against what the app documents for that operation
   * (see response-check.ts): an undocumented status, body or key rejects with `UndocumentedAnswer`.
   */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** A request described by one of the app's route configs (see api.ts), through `request`. */
  call<R extends RouteConfig>(route: R, input?: CallInput<R>): Promise<ApiAnswer<R>>;
  /** How many answers each operation gave, by `operation status` (e.g. `listings.get 200`). */
  checked: Map<string, number>;
  close(): Promise<void>;
}

/**
 * The real app on its own fresh database, with an in-memory logger. Jobs run in process, or with
 * `pgBoss` (PostgreSQL engine only) on pg-boss in that database, started here and stopped by `close`.
 */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    deps?: Partial<Omit<Deps, "config" | "database">>;
    pgBoss?: Omit<PgBossSettings, "connectionString">;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  if (options.pgBoss && !db.url) throw new Error("pg-boss needs the PostgreSQL engine (DATABASE_URL)");
  const pgBoss = options.pgBoss && db.url ? { ...options.pgBoss, connectionString: db.url } : undefined;
  const logger = memoryLogger();
  const config = parseConfig({
    APP_ENV: "test",
    JWT_SECRET: "test-secret-of-at-least-32-characters!",
    ...options.env,
  });
  // Tests say where a request comes from with X-Forwarded-For (rate limits are per IP).
  // Nothing reaches the network: a test that fetches calendars brings its own outbound port.
  const deps = nodeDeps(
    config,
    db.database,
    {
      logger,
      clientIp: forwardedAddress,
      outbound: offlineOutbound,
      ...options.deps,
    },
    { pgBoss },
  );
  if (pgBoss) await deps.startJobs();
  const app = createApp(deps);
  const checked = new Map<string, number>();
  // Tests may mount routes of their own: read the registry again when it has grown.
  let known: { count: number; routes: ReturnType<typeof documentedRoutes> } = { count: -1, routes: [] };
  const routes = () => {
    const count = app.openAPIRegistry.definitions.length;
    if (count !== known.count) known = { count, routes: documentedRoutes(app) };
    return known.routes;
  };
  const request = async (path: string, init?: RequestInit) => {
    const response = await app.request(path, init);
    const answer: Answer = {
      method: init?.method ?? "GET",
      url: path,
      status: response.status,
      contentType: mediaTypeOf(response.headers.get("content-type")),
      text: await response.clone().text(),
    };
    const verdict = checkAnswer(routes(), answer);
    if (verdict.problems.length > 0) throw new UndocumentedAnswer(describeMismatch(answer, verdict));
    const key = `${verdict.operation} ${answer.status}`;
    checked.set(key, (checked.get(key) ?? 0) + 1);
    return response;
  };
  const testApp: TestApp = {
    app,
    deps,
    db,
    logger,
    request,
    call: (route, input) => callRoute(testApp, route, input),
    checked,
    close: async () => {
      if (pgBoss) await deps.stopJobs();
      await db.close();
    },
  };
  return testApp;
}
