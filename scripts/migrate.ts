// `npm run db:migrate`: applies the committed migrations to DATABASE_URL (PostgreSQL or Neon),
// or to the embedded PGlite database in DATA_DIR (default .data) when DATABASE_URL is unset.
import { openNodeDatabase } from "../src/node/database.ts";

const databaseUrl = process.env.DATABASE_URL || undefined;
try {
  const opened = await openNodeDatabase({ databaseUrl, dataDir: process.env.DATA_DIR || ".data" });
  await opened.close();
  console.log(`${opened.location}: ${opened.applied} migration(s) applied`);
} catch (error) {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
