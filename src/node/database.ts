import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { DatabasePort } from "../db/database.ts";
import { migrate } from "../db/migrate.ts";
import { loadMigrations } from "../db/migrations-fs.ts";
import { postgresPool, postgresPort } from "../db/node-postgres.ts";
import { openPglite, pglitePort } from "../db/pglite.ts";
import { acquireLockFile } from "./lock-file.ts";

export interface OpenedDatabase {
  database: DatabasePort;
  /** Where the data lives, for the start-up banner (never the password). */
  location: string;
  /** Migrations applied at this start; all of them means the database was new. */
  applied: number;
  close(): Promise<void>;
}

/** PostgreSQL when `databaseUrl` is set, else PGlite persisted in `dataDir`; migrated either way. */
export async function openNodeDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
}): Promise<OpenedDatabase> {
  const migrations = loadMigrations();
  if (options.databaseUrl) {
    const pool = postgresPool(options.databaseUrl);
    const database = postgresPort(pool);
    try {
      const applied = await migrate(database.connect().db, migrations);
      const url = new URL(options.databaseUrl);
      return {
        database,
        location: `postgres://${url.host}${url.pathname}`,
        applied,
        close: () => database.close(),
      };
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  const dataDir = resolve(options.dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  const release = acquireLockFile(`${dataDir}.lock`);
  try {
    const isNew = !existsSync(resolve(dataDir, "PG_VERSION"));
    const database = pglitePort(await openPglite({ dataDir }));
    const applied = await migrate(database.connect().db, migrations).catch(async (error: unknown) => {
      await database.close();
      throw error;
    });
    return {
      database,
      location: `${dataDir}${isNew ? " (new)" : ""}`,
      applied,
      close: async () => {
        try {
          await database.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
