import { defineConfig } from "drizzle-kit";

// Only `db:generate` uses this: migrations are applied by the app's own runtime migrator
// (src/db/migrate.ts), which works the same on PGlite, node-postgres and Neon.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./migrations",
  casing: "snake_case",
});
