import { fileURLToPath } from "node:url";
import { type MigrationMeta, readMigrationFiles } from "drizzle-orm/migrator";

export const migrationsFolder = fileURLToPath(new URL("../../migrations", import.meta.url));

/** The committed migrations, read from disk (Node only; Workers never migrate at run time). */
export function loadMigrations(): MigrationMeta[] {
  return readMigrationFiles({ migrationsFolder });
}
