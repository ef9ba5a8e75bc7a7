// `npm run dev`: the Worker under `wrangler dev --local`, offline, against the PostgreSQL named by
// DATABASE_URL. The real Neon driver reaches it through neon-local (test/support/neon-local.ts).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { migrate } from "../src/db/migrate.ts";
import { loadMigrations } from "../src/db/migrations-fs.ts";
import { postgresDatabase, postgresPool } from "../src/db/node-postgres.ts";
import { startNeonLocal } from "../test/support/neon-local.ts";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error(
    "npm run dev needs DATABASE_URL, the PostgreSQL the Worker should use, e.g.\n" +
      "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run dev",
  );
  process.exit(1);
}
const port = process.env.PORT || "8787";

let target: URL;
try {
  target = new URL(databaseUrl);
} catch {
  console.error("DATABASE_URL is not a valid postgres:// URL.");
  process.exit(1);
}

try {
  const pool = postgresPool(databaseUrl, 1);
  try {
    const applied = await migrate(postgresDatabase(pool), loadMigrations());
    console.log(`[dev] ${target.host}${target.pathname}: ${applied} migration(s) applied`);
  } finally {
    await pool.end();
  }
} catch (error) {
  // Only the name and SQLSTATE: driver messages may carry connection details.
  const code =
    typeof error === "object" && error !== null && "code" in error ? ` (${String(error.code)})` : "";
  console.error(
    `[dev] cannot migrate the database at ${target.host}: ${error instanceof Error ? error.name : "error"}${code}`,
  );
  process.exit(1);
}

const neonLocal = await startNeonLocal({
  postgresHost: target.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1",
  postgresPort: Number(target.port || 5432),
});
console.log(`[dev] neon-local on ${neonLocal.proxy} → PostgreSQL ${target.host}`);

// The package's bin, run by this same Node (24): `node_modules/.bin/wrangler` would pick the system's.
const require = createRequire(import.meta.url);
const wranglerPackage: { bin: Record<string, string> } = require("wrangler/package.json");
const wranglerBin = join(
  dirname(require.resolve("wrangler/package.json")),
  wranglerPackage.bin.wrangler ?? "",
);

const wrangler = spawn(
  process.execPath,
  [
    wranglerBin,
    "dev",
    "--local",
    "--port",
    port,
    "--var",
    `DATABASE_URL:${databaseUrl}`,
    "--var",
    `NEON_LOCAL_PROXY:${neonLocal.proxy}`,
    "--var",
    "APP_ENV:development",
    "--var",
    // A fresh key per run unless one is given: access tokens from a previous run stop working.
    `JWT_SECRET:${process.env.JWT_SECRET || crypto.randomUUID() + crypto.randomUUID()}`,
  ],
  {
    stdio: "inherit",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  },
);

// Ctrl-C reaches wrangler through the terminal too; forwarding again is harmless, and needed for SIGTERM.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    wrangler.kill(signal);
  });
}

wrangler.on("error", async (error) => {
  console.error(`[dev] could not start wrangler: ${error.message}`);
  await neonLocal.close();
  process.exit(1);
});

wrangler.on("exit", async (code, signal) => {
  await neonLocal.close();
  process.exit(code ?? (signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 1));
});
