import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { cube } from "@electric-sql/pglite/contrib/cube";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle } from "drizzle-orm/pglite";
import type { Database, DatabasePort } from "./database.ts";
import * as schema from "./schema/index.ts";

/** Contrib extensions the migrations create; PGlite only has those it was given at start. */
export const pgliteExtensions = { btree_gist, pg_trgm, cube };

/**
 * Opens PGlite: persisted in `dataDir`, or in memory when it is omitted. `loadDataDir` starts
 * from a dump (tests clone a migrated template that way).
 */
export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<PGlite> {
  const pgliteOptions: PGliteOptions = { extensions: pgliteExtensions };
  if (options.dataDir) pgliteOptions.dataDir = options.dataDir;
  if (options.loadDataDir) pgliteOptions.loadDataDir = options.loadDataDir;
  return PGlite.create(pgliteOptions);
}

export function pgliteDatabase(client: PGlite): Database {
  return drizzle({ client, schema, casing: "snake_case" });
}

/** PGlite runs one query at a time in-process: one shared handle serves every request. */
export function pglitePort(client: PGlite): DatabasePort {
  const db = pgliteDatabase(client);
  return {
    kind: "pglite",
    connect: () => ({ db }),
    close: () => client.close(),
  };
}
