import { readFileSync } from "node:fs";
import type { SQL } from "drizzle-orm";
import { inject } from "vitest";
import type { Database, DatabasePort } from "../../src/db/database.ts";
import { postgresPool, postgresPort } from "../../src/db/node-postgres.ts";
import { openPglite, pglitePort } from "../../src/db/pglite.ts";
import { randomSuffix, withAdmin, withDatabase } from "./postgres-admin.ts";

export type Engine = "pglite" | "postgres";

export const engine: Engine = process.env.TEST_DB_ENGINE === "postgres" ? "postgres" : "pglite";

export interface TestDatabase {
  database: DatabasePort;
  /** Connection string of this file's own database (PostgreSQL engine only). */
  url?: string;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database of its own for the calling test file: a copy of the run's template,
 * on PGlite in memory or, when the project runs with TEST_DB_ENGINE=postgres, a new database on
 * the server named by DATABASE_URL.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (engine === "pglite") {
    const dump = new Blob([readFileSync(inject("pgliteTemplate"))]);
    const database = pglitePort(await openPglite({ loadDataDir: dump }));
    return { database, close: () => database.close() };
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("TEST_DB_ENGINE=postgres needs DATABASE_URL");
  const template = inject("postgresTemplate");
  const name = `${template.replace("_tpl_", "_t_")}_${randomSuffix()}`;
  // CREATE DATABASE … TEMPLATE fails while anyone else is connected to the template.
  await withAdmin(serverUrl, (c) => c.query(`create database ${name} template ${template}`));
  const url = withDatabase(serverUrl, name);
  const database = postgresPort(postgresPool(url, 20));
  return {
    database,
    url,
    close: async () => {
      await database.close();
      await withAdmin(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** Rows of a raw query; PGlite and node-postgres both answer `{ rows }`. */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
