import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import type { Plugin } from "vite";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const hasPostgres = Boolean(process.env.DATABASE_URL);
// The config is loaded once per project; say it once.
if (!hasPostgres && !process.env.STAYEDGE_SKIP_NOTICE) {
  process.env.STAYEDGE_SKIP_NOTICE = "1";
  console.warn(
    "\n[stayedge] DATABASE_URL is not set: the integration suites on real PostgreSQL and the\n" +
      "           workerd suites that reach a database are SKIPPED (PGlite and unit suites run).\n" +
      "           e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm test\n",
  );
}

/**
 * The workerd project's Vite warns once per module of `stripe` that its published source maps name
 * sources the package does not ship: nothing is wrong, and 200 such lines buried the test report.
 */
const quietStripeSourceMaps: Plugin = {
  name: "quiet-stripe-source-maps",
  configResolved({ logger }) {
    const warnOnce = logger.warnOnce.bind(logger);
    logger.warnOnce = (message, options) => {
      if (!/^Sourcemap for ".*node_modules[/\\]stripe[/\\]/.test(message)) warnOnce(message, options);
    };
  },
};

/**
 * graphql ships CommonJS (`main`) and ESM (`module`) builds, and keeps one set of classes per
 * build. Node loads the CommonJS one for the packages that import it (yoga, Pothos); Vite would
 * give the app's own files the ESM one, and the schema would then come from another "realm".
 * Workers bundles resolve one build for all, so only the Node projects need this.
 */
const oneGraphql = {
  alias: [{ find: /^graphql$/, replacement: fileURLToPath(import.meta.resolve("graphql")) }],
};

const integration = (name: string, engine: "pglite" | "postgres"): TestProjectInlineConfiguration => ({
  resolve: oneGraphql,
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
  // No root-level `ssr.resolve.conditions: ["workerd"]`: it would hand the Node projects pg's
  // workerd socket build. The Worker imports no `pg` (Neon's driver has its own client).
  test: {
    projects: [
      { resolve: oneGraphql, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      integration("integration:pglite", "pglite"),
      ...(hasPostgres ? [integration("integration:postgres", "postgres")] : []),
      {
        plugins: [
          quietStripeSourceMaps,
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // Vitest 5 checks `require("node:inspector").url()` in every runner (inline source maps when
              // a debugger is attached). Without the module, each test file logged a "not available at
              // this Worker's compatibility date" error from the plugin and a fallback-service failure.
              // nodejs_compat implies this flag only from 2026-01-29; the production date stays as is.
              compatibilityFlags: ["enable_nodejs_inspector_module"],
              bindings: {
                APP_ENV: "test",
                LOG_LEVEL: "silent",
                JWT_SECRET: "worker-test-secret-of-at-least-32-chars",
                DATABASE_URL: inject<string>("workerDatabaseUrl"),
                NEON_LOCAL_PROXY: inject<string>("neonProxy"),
                STRIPE_SECRET_KEY: "sk_test_worker",
                STRIPE_WEBHOOK_SECRET: "whsec_worker_test_secret",
                STRIPE_API_URL: inject<string>("stripeApiUrl"),
              },
            },
          })),
        ],
        // The plugin resolves with workerd/browser conditions, this project's globalSetup (Node) too:
        // there `ws` would be its browser stub, and neon-local needs the Node build.
        resolve: { alias: [{ find: /^ws$/, replacement: fileURLToPath(import.meta.resolve("ws")) }] },
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          globalSetup: ["test/support/worker-setup.ts"],
          // As the integration suites: a sign-in hashes with 100,000 PBKDF2 rounds in workerd, and a
          // test of several sign-ins ran past the 5 s default on a busy 2-core machine.
          testTimeout: 20_000,
        },
      },
    ],
  },
});
