/**
 * The servers under test, in a worker thread of the bench process: the real app (createApp +
 * nodeDeps, production settings, silent logs), a second instance of it whose cache never hits
 * (so a database scenario measures the database work, not the cache), and one bare Hono app that
 * serves the ceiling (`GET /`) and the floors (`GET /floor/:scenario/:i`: request i's SQL of that
 * scenario through `pg`, rows as they come; `POST /floor/:scenario/:i`: a booking verb's statements,
 * booking-floors.ts). Keeping them off the main thread leaves that thread
 * to autocannon, so the load generator does not steal the servers' event loop.
 */
import type { AddressInfo } from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import type { PGlite } from "@electric-sql/pglite";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type pg from "pg";
import { createApp } from "../../src/app.ts";
import { parseConfig } from "../../src/config.ts";
import type { DatabasePort } from "../../src/db/database.ts";
import { postgresPool } from "../../src/db/node-postgres.ts";
import { arrayLiteral } from "../../src/domain/listings/search-parts.ts";
import { openNodeDatabase } from "../../src/node/database.ts";
import { nodeDeps } from "../../src/node/deps.ts";
import type { Cache } from "../../src/ports.ts";
import { type BookingFloorSet, bookingFloor, type FloorDatabase } from "./booking-floors.ts";
import type { FloorSet } from "./floors.ts";

export interface ServerWorkerData {
  databaseUrl?: string;
  dataDir: string;
  /** The apps' JWT secret: the bench mints its guests' access tokens with it. */
  jwtSecret: string;
  /** The apps' Stripe: fake-stripe, served by the main thread so its work is not counted as theirs. */
  stripeUrl: string;
}

export type ToServerWorker =
  | { type: "floors"; floors: Record<string, FloorSet>; bookings: Record<string, BookingFloorSet> }
  | { type: "sql"; text: string; values: unknown[] }
  | { type: "cpu" }
  | { type: "stop" };

export type ServerWorkerMessage =
  | { type: "ready"; appPort: number; uncachedPort: number; barePort: number; databaseKind: string }
  | { type: "floors-set" }
  | { type: "sql-done"; rows: unknown[][]; error?: string }
  | { type: "cpu"; micros: number }
  | { type: "stopped" }
  | { type: "failed"; message: string };

const port = parentPort;
if (!port) throw new Error("server-worker.ts runs as a worker thread of scripts/bench.ts");
const data = workerData as ServerWorkerData;

/** A cache that keeps nothing: every read goes to the database. */
const neverCache: Cache = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
};

type Server = ReturnType<typeof serve>;

/** Runs statements as drizzle does (rows as arrays of values), on the floor pool or on PGlite. */
function floorDatabase(pool: pg.Pool | undefined, database: DatabasePort): FloorDatabase {
  if (pool) {
    return {
      query: async (text, values) => (await pool.query<unknown[]>({ text, values, rowMode: "array" })).rows,
      async transaction(work) {
        const client = await pool.connect();
        try {
          await client.query("begin");
          const result = await work(
            async (text, values) => (await client.query<unknown[]>({ text, values, rowMode: "array" })).rows,
          );
          await client.query("commit");
          return result;
        } catch (error) {
          await client.query("rollback");
          throw error;
        } finally {
          client.release();
        }
      },
    };
  }
  const client = (database.connect().db as unknown as { $client: PGlite }).$client;
  return {
    query: async (text, values) => (await client.query<unknown[]>(text, values, { rowMode: "array" })).rows,
    transaction: (work) =>
      client.transaction((tx) =>
        work(async (text, values) => (await tx.query<unknown[]>(text, values, { rowMode: "array" })).rows),
      ),
  };
}

const listen = (fetch: (request: Request, env: unknown) => Response | Promise<Response>) =>
  new Promise<Server>((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(server));
  });

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets autocannon left open must not hold the close forever.
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  });

try {
  const opened = await openNodeDatabase({ databaseUrl: data.databaseUrl, dataDir: data.dataDir });
  const config = parseConfig({
    APP_ENV: "production",
    LOG_LEVEL: "silent",
    JWT_SECRET: data.jwtSecret,
    STRIPE_SECRET_KEY: "sk_test_bench",
    STRIPE_WEBHOOK_SECRET: "whsec_bench",
    STRIPE_API_URL: data.stripeUrl,
    // No mail goes out while it runs: the log mailer, as production allows when asked.
    MAIL_PROVIDER: "log",
  });
  const deps = nodeDeps(config, opened.database);
  const uncachedDeps = nodeDeps(config, opened.database, { cache: neverCache });

  // The floors' own pool, of the app's size; on PGlite the app's own instance (one query at a time).
  const floorPool = data.databaseUrl ? postgresPool(data.databaseUrl) : undefined;
  const floorDb = floorDatabase(floorPool, opened.database);
  const booking = bookingFloor(floorDb, config);
  let floors: Record<string, FloorSet> = {};
  let bookingFloors: Record<string, BookingFloorSet> = {};

  const bare = new Hono()
    .get("/", (c) => c.json({ ok: true }))
    .get("/floor/:scenario/:i", async (c) => {
      const set = floors[c.req.param("scenario")];
      const statement = set?.statements[Number(c.req.param("i"))];
      const text = statement && set?.texts[statement.text];
      if (!statement || text === undefined) return c.json({ error: "no such floor request" }, 404);
      const rows = await floorDb.query(text, statement.params);
      const { stay } = statement;
      const ids = stay ? rows.slice(0, stay.limit).map((row) => row[0]) : [];
      if (stay && set && ids.length > 0) {
        const values: Record<string, unknown> = { ...stay, ids: arrayLiteral(ids as string[]) };
        await floorDb.query(
          set.pricedDays.text,
          set.pricedDays.names.map((name) => values[name]),
        );
      }
      return c.json({ items: rows });
    })
    .post("/floor/:scenario/:i", async (c) => {
      const set = bookingFloors[c.req.param("scenario")];
      if (!set) return c.json({ error: "no such floor" }, 404);
      const answer = await booking(set, Number(c.req.param("i")));
      return c.json(answer.body, answer.status);
    });

  const servers = {
    app: await listen(createApp(deps).fetch),
    uncached: await listen(createApp(uncachedDeps).fetch),
    bare: await listen(bare.fetch),
  };
  const portOf = (server: Server) => (server.address() as AddressInfo).port;
  port.postMessage({
    type: "ready",
    appPort: portOf(servers.app),
    uncachedPort: portOf(servers.uncached),
    barePort: portOf(servers.bare),
    databaseKind: opened.database.kind,
  } satisfies ServerWorkerMessage);

  port.on("message", async (message: ToServerWorker) => {
    if (message.type === "floors") {
      floors = message.floors;
      bookingFloors = message.bookings;
      port.postMessage({ type: "floors-set" } satisfies ServerWorkerMessage);
      return;
    }
    if (message.type === "sql") {
      try {
        const rows = await floorDb.query(message.text, message.values);
        port.postMessage({ type: "sql-done", rows } satisfies ServerWorkerMessage);
      } catch (error) {
        port.postMessage({ type: "sql-done", rows: [], error: String(error) } satisfies ServerWorkerMessage);
      }
      return;
    }
    if (message.type === "cpu") {
      const { user, system } = process.threadCpuUsage();
      port.postMessage({ type: "cpu", micros: user + system } satisfies ServerWorkerMessage);
      return;
    }
    await Promise.all(Object.values(servers).map(close));
    await Promise.all([deps.drainJobs(), uncachedDeps.drainJobs()]);
    await floorPool?.end();
    await opened.close();
    port.postMessage({ type: "stopped" } satisfies ServerWorkerMessage);
    port.close();
  });
} catch (error) {
  port.postMessage({
    type: "failed",
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  } satisfies ServerWorkerMessage);
}
