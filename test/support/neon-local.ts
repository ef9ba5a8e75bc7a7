/**
 * neon-local: a local stand-in for Neon's endpoints over a real PostgreSQL, so the real
 * `@neondatabase/serverless` driver (and drizzle's neon-http / neon-serverless) runs against plain
 * PostgreSQL from Node and from workerd. One port serves both:
 *  - WebSocket-to-TCP proxy (`neonConfig.wsProxy`), only to the configured PostgreSQL host:port;
 *  - `POST /sql` (`neonConfig.fetchEndpoint`), the HTTP query/batch protocol of `neon()`.
 * Point the driver at it with `localNeonConfig(server.proxy)` from src/db/neon-local-config.ts.
 *
 * Run directly (`node test/support/neon-local.ts`): proxies to DATABASE_URL's host:port, listens on
 * NEON_LOCAL_PORT (default random) and prints `neon-local listening on <host>:<port> ...`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { text } from "node:stream/consumers";
import type { CustomTypesConfig, PoolClient, QueryArrayResult } from "pg";
import pg from "pg";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { localNeonConfig } from "../../src/db/neon-local-config.ts";

export interface NeonLocal {
  host: string;
  port: number;
  /** `host:port`, the argument `localNeonConfig` expects. */
  proxy: string;
  close(): Promise<void>;
}

export interface NeonLocalOptions {
  postgresHost?: string;
  postgresPort?: number;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
}

interface SqlQuery {
  query: string;
  params: unknown[];
}

interface Mode {
  rawText: boolean;
  arrayMode: boolean;
}

/** Answered as HTTP 400 `{ message }`, like Neon does for malformed requests. */
class RequestError extends Error {}

// Field names the driver copies from a 400 answer onto its NeonDbError.
const ERROR_FIELDS = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;

const ISOLATION_LEVELS: Record<string, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1"]);
const WS_HIGH_WATER = 1024 * 1024;

// The driver parses values itself (by dataTypeID), so it wants Postgres's text form untouched.
const rawTextTypes: CustomTypesConfig = { getTypeParser: () => (value: string) => value };

export async function startNeonLocal(options: NeonLocalOptions = {}): Promise<NeonLocal> {
  const pgHost = options.postgresHost ?? "127.0.0.1";
  const pgPort = options.postgresPort ?? 5432;
  const pools = new Map<string, pg.Pool>();

  const isPostgres = (host: string, port: number): boolean => {
    const h = host.replace(/^\[(.*)\]$/, "$1");
    return port === pgPort && (h === pgHost || (LOOPBACK.has(h) && LOOPBACK.has(pgHost)));
  };

  const poolFor = (connectionString: string): pg.Pool => {
    let pool = pools.get(connectionString);
    if (pool === undefined) {
      // Short idle timeout: tests drop their throwaway databases right after use.
      pool = new pg.Pool({ connectionString, idleTimeoutMillis: 1000 });
      // Idle clients error when their backend is terminated (e.g. DROP DATABASE ... WITH (FORCE)).
      pool.on("error", () => {});
      pools.set(connectionString, pool);
    }
    return pool;
  };

  const handleSql = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const connectionString = header(req, "neon-connection-string");
    if (connectionString === undefined) throw new RequestError("Missing Neon-Connection-String header");
    const target = parseConnectionUrl(connectionString);
    if (!isPostgres(target.hostname, Number(target.port || 5432))) {
      throw new RequestError(`neon-local only serves ${pgHost}:${pgPort}`);
    }
    const body = parseBody(parseJson(await text(req)));
    const mode: Mode = {
      rawText: header(req, "neon-raw-text-output") === "true",
      arrayMode: header(req, "neon-array-mode") === "true",
    };
    const pool = poolFor(connectionString);
    if (!Array.isArray(body)) {
      send(res, 200, toJson(await run(pool, body, mode), mode));
      return;
    }
    const begin = beginStatement(req);
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const results: unknown[] = [];
      for (const query of body) results.push(toJson(await run(client, query, mode), mode));
      await client.query("COMMIT");
      send(res, 200, { results });
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "POST" || path !== "/sql") {
      send(res, 404, { message: "neon-local serves POST /sql and WebSocket upgrades" });
      return;
    }
    handleSql(req, res).catch((error: unknown) => {
      if (error instanceof pg.DatabaseError) send(res, 400, databaseErrorJson(error));
      else if (error instanceof RequestError) send(res, 400, { message: error.message });
      else {
        // The driver reports non-400 bodies as text: "Server error (HTTP status 500): ...".
        res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
      }
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const address = new URL(req.url ?? "/", "http://localhost").searchParams.get("address") ?? "";
    const colon = address.lastIndexOf(":");
    if (colon < 0 || !isPostgres(address.slice(0, colon), Number(address.slice(colon + 1)))) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => relay(ws, pgHost, pgPort));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("neon-local: no TCP address");
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    host,
    port: address.port,
    proxy: `${host}:${address.port}`,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...pools.values()].map((pool) => pool.end()));
      pools.clear();
    },
  };
}

/** Relays raw Postgres wire bytes between a WebSocket (binary messages) and a TCP socket. */
function relay(ws: WebSocket, host: string, port: number): void {
  const tcp = connect({ host, port });
  tcp.setNoDelay(true);
  ws.on("message", (data: RawData) => {
    const chunk = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    if (!tcp.write(chunk)) {
      ws.pause();
      tcp.once("drain", () => ws.resume());
    }
  });
  tcp.on("data", (chunk: Buffer) => {
    ws.send(chunk, () => {
      if (tcp.isPaused() && ws.bufferedAmount < WS_HIGH_WATER) tcp.resume();
    });
    if (ws.bufferedAmount >= WS_HIGH_WATER) tcp.pause();
  });
  ws.on("close", () => tcp.end());
  ws.on("error", () => tcp.destroy());
  tcp.on("close", () => ws.close());
  tcp.on("error", () => ws.terminate());
}

function run(db: pg.Pool | PoolClient, query: SqlQuery, mode: Mode): Promise<QueryArrayResult> {
  // Extended protocol like Neon: one statement per query, even without parameters.
  const config = {
    text: query.query,
    values: query.params,
    rowMode: "array" as const,
    types: mode.rawText ? rawTextTypes : undefined,
    queryMode: "extended",
  };
  return db.query(config);
}

function toJson(result: QueryArrayResult, mode: Mode) {
  const names = result.fields.map((field) => field.name);
  return {
    fields: result.fields,
    command: result.command,
    rowCount: result.rowCount,
    rows: mode.arrayMode
      ? result.rows
      : result.rows.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i]]))),
    rowAsArray: mode.arrayMode,
  };
}

function databaseErrorJson(error: pg.DatabaseError): Record<string, unknown> {
  const json: Record<string, unknown> = { message: error.message };
  for (const field of ERROR_FIELDS) json[field] = error[field];
  return json;
}

function beginStatement(req: IncomingMessage): string {
  const modes: string[] = [];
  const isolation = header(req, "neon-batch-isolation-level");
  if (isolation !== undefined) {
    const level = ISOLATION_LEVELS[isolation];
    if (level === undefined) throw new RequestError(`Unknown Neon-Batch-Isolation-Level: ${isolation}`);
    modes.push(`ISOLATION LEVEL ${level}`);
  }
  const readOnly = header(req, "neon-batch-read-only");
  if (readOnly !== undefined) modes.push(readOnly === "true" ? "READ ONLY" : "READ WRITE");
  const deferrable = header(req, "neon-batch-deferrable");
  if (deferrable !== undefined) modes.push(deferrable === "true" ? "DEFERRABLE" : "NOT DEFERRABLE");
  return `BEGIN ${modes.join(", ")}`;
}

function parseConnectionUrl(connectionString: string): URL {
  try {
    // As the driver does: an http: URL parses host and port the same way for any scheme.
    return new URL(`http:${connectionString.slice(connectionString.indexOf(":") + 1)}`);
  } catch {
    throw new RequestError("Neon-Connection-String is not a valid URL");
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new RequestError("Request body is not valid JSON");
  }
}

function parseBody(body: unknown): SqlQuery | SqlQuery[] {
  if (typeof body === "object" && body !== null && "queries" in body) {
    if (!Array.isArray(body.queries)) throw new RequestError('"queries" must be an array');
    return body.queries.map(parseQuery);
  }
  return parseQuery(body);
}

function parseQuery(value: unknown): SqlQuery {
  if (typeof value === "object" && value !== null && "query" in value && typeof value.query === "string") {
    const params = "params" in value ? value.params : undefined;
    if (params === undefined || params === null) return { query: value.query, params: [] };
    if (Array.isArray(params)) return { query: value.query, params };
  }
  throw new RequestError('Expected {"query": string, "params"?: array}');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

if (import.meta.main) {
  const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  const postgresHost = url.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1";
  const postgresPort = Number(url.port || 5432);
  const server = await startNeonLocal({
    postgresHost,
    postgresPort,
    port: Number(process.env.NEON_LOCAL_PORT ?? 0),
  });
  console.log(`neon-local listening on ${server.proxy} (PostgreSQL ${postgresHost}:${postgresPort})`);
  console.log(`neonConfig: ${JSON.stringify(localNeonConfig(server.proxy))}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
