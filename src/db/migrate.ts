import { sql } from "drizzle-orm";
import type { MigrationMeta } from "drizzle-orm/migrator";
import { bigint, pgSchema, serial, text } from "drizzle-orm/pg-core";
import type { Database } from "./database.ts";

// Same table drizzle-kit's own migrator keeps, so either tool sees the same history.
const drizzleSchema = pgSchema("drizzle");
const journal = drizzleSchema.table("__drizzle_migrations", {
  id: serial("id").primaryKey(),
  hash: text("hash").notNull(),
  createdAt: bigint("created_at", { mode: "number" }),
});

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK = 7_344_221_901;

/**
 * Applies the migrations not yet recorded, in order, all in one transaction under an
 * advisory lock, so two processes starting together neither race nor half-apply.
 * Runs on PGlite, node-postgres and neon-serverless (neon-http has no transactions).
 */
export async function migrate(db: Database, migrations: readonly MigrationMeta[]): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(sql`create table if not exists drizzle.__drizzle_migrations (
      id serial primary key, hash text not null, created_at bigint)`);
    // By identity, not "newer than the last": a migration merged late from an older branch still runs.
    const applied = new Set(
      (await tx.select({ createdAt: journal.createdAt }).from(journal)).map((r) => r.createdAt),
    );
    const pending = migrations.filter((m) => !applied.has(m.folderMillis));
    for (const migration of pending) {
      for (const statement of migration.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.insert(journal).values({ hash: migration.hash, createdAt: migration.folderMillis });
    }
    return pending.length;
  });
}
