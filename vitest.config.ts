import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const hasPostgres = Boolean(process.env.DATABASE_URL);
if (!hasPostgres) {
  console.warn(
    "\n[stayedge] DATABASE_URL is not set: the integration suites on real PostgreSQL and the\n" +
      "           workerd suites that reach a database are SKIPPED (PGlite and unit suites run).\n" +
      "           e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm test\n",
  );
}

const integration = (name: string, engine: "pglite" | "postgres"): TestProjectInlineConfiguration => ({
  test: {
    name,
    include: ["test/integration/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    env: { TEST_DB_ENGINE: engine },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  // With `projects`, packages that ship a workerd build (pg) must resolve it inside workerd.
  ssr: { resolve: { conditions: ["workerd", "worker", "module", "import", "default"] } },
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      integration("integration:pglite", "pglite"),
      ...(hasPostgres ? [integration("integration:postgres", "postgres")] : []),
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                APP_ENV: "test",
                LOG_LEVEL: "silent",
                DATABASE_URL: inject<string>("workerDatabaseUrl"),
                NEON_LOCAL_PROXY: inject<string>("neonProxy"),
              },
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          globalSetup: ["test/support/worker-setup.ts"],
        },
      },
    ],
  },
});
