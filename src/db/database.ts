import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema/index.ts";

/** What domain code gets: any of the four drivers (PGlite, node-postgres, neon-http, neon-serverless) fits. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A drizzle handle for one unit of work (a request, a job), released when it is done. */
export interface DbHandle {
  db: Database;
  /** Present when the handle holds a connection of its own (Neon's per-request pool). */
  release?: () => Promise<void>;
}

export interface DatabasePort {
  /** Which engine backs the port, for logs and `/ready`. */
  readonly kind: "pglite" | "postgres" | "neon";
  connect(): DbHandle;
  close(): Promise<void>;
}

/** Runs `work` on a handle of its own (jobs, cron, start-up), released afterwards. */
export async function withDatabase<T>(
  database: DatabasePort,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const handle = database.connect();
  try {
    return await work(handle.db);
  } finally {
    await handle.release?.();
  }
}
