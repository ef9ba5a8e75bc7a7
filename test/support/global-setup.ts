import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrate } from "../../src/db/migrate.ts";
import { loadMigrations } from "../../src/db/migrations-fs.ts";
import { postgresDatabase, postgresPool } from "../../src/db/node-postgres.ts";
import { openPglite, pgliteDatabase } from "../../src/db/pglite.ts";
import { randomSuffix, withAdmin, withDatabase } from "./postgres-admin.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A dump of a freshly migrated PGlite database; each test file starts from a copy. */
    pgliteTemplate: string;
    /** A migrated PostgreSQL database each test file clones (`CREATE DATABASE … TEMPLATE`). */
    postgresTemplate: string;
  }
}

/**
 * Migrates once per run, then every test file gets its own copy of the result: a PGlite dump
 * loaded into memory, or (with DATABASE_URL) a PostgreSQL database created from a template.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: Array<() => Promise<void>> = [];
  const engine = project.config.env?.TEST_DB_ENGINE ?? "pglite";

  if (engine === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "stayedge-pglite-"));
    const client = await openPglite();
    await migrate(pgliteDatabase(client), loadMigrations());
    const dump = await client.dumpDataDir("none");
    await client.close();
    const file = join(dir, "template.tar");
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    project.provide("pgliteTemplate", file);
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  } else {
    const serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) throw new Error("TEST_DB_ENGINE=postgres needs DATABASE_URL");
    const template = `stayedge_tpl_${randomSuffix()}`;
    await withAdmin(serverUrl, (c) => c.query(`create database ${template}`));
    const pool = postgresPool(withDatabase(serverUrl, template), 1);
    try {
      await migrate(postgresDatabase(pool), loadMigrations());
    } finally {
      await pool.end();
    }
    project.provide("postgresTemplate", template);
    cleanups.push(() => dropDatabases(serverUrl, template));
  }
  return async () => {
    for (const cleanup of cleanups) await cleanup();
  };
}

/** Drops the template and every database cloned from it in this run. */
async function dropDatabases(serverUrl: string, template: string): Promise<void> {
  await withAdmin(serverUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "select datname from pg_database where datname = $1 or datname like $2",
      [template, `${template.replace("_tpl_", "_t_")}_%`],
    );
    for (const { datname } of rows) await c.query(`drop database if exists "${datname}" with (force)`);
  });
}
