import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema/index.ts";

/** What domain code gets: any of the four drivers (PGlite, node-postgres, neon-http, neon-serverless) fits. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A drizzle handle for one unit of work (a request, a job), released when it is done. */
export interface DbHandle {
  db: Database;
  release(): Promise<void>;
}

export interface DatabasePort {
  /** Which engine backs the port, for logs and `/ready`. */
  readonly kind: "pglite" | "postgres" | "neon";
  connect(): DbHandle;
  close(): Promise<void>;
}
