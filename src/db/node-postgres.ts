import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Database, DatabasePort } from "./database.ts";
import * as schema from "./schema/index.ts";

export function postgresPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  return pool;
}

export function postgresDatabase(pool: pg.Pool): Database {
  return drizzle({ client: pool, schema, casing: "snake_case" });
}

export function postgresPort(pool: pg.Pool): DatabasePort {
  const db = postgresDatabase(pool);
  return {
    kind: "postgres",
    connect: () => ({ db }),
    close: () => pool.end(),
  };
}
