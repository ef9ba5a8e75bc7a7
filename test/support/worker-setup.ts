import type { TestProject } from "vitest/node";
import { migrate } from "../../src/db/migrate.ts";
import { loadMigrations } from "../../src/db/migrations-fs.ts";
import { postgresDatabase, postgresPool } from "../../src/db/node-postgres.ts";
import { UNREACHABLE_DATABASE_URL } from "../worker/fixtures.ts";
import { startFakeStripe } from "./fake-stripe.ts";
import { type NeonLocal, startNeonLocal } from "./neon-local.ts";
import { randomSuffix, withAdmin, withDatabase } from "./postgres-admin.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Worker's `DATABASE_URL`: a migrated throwaway database, or (without DATABASE_URL) nothing. */
    workerDatabaseUrl: string;
    /** The Worker's `NEON_LOCAL_PROXY`: `host:port` of neon-local (in front of nothing without DATABASE_URL). */
    neonProxy: string;
    /** The Worker's `STRIPE_API_URL`: fake-stripe, in this (Node) process. */
    stripeApiUrl: string;
  }
}

/**
 * Gives the workerd project a database the real Neon driver reaches: neon-local in front of the
 * PostgreSQL named by DATABASE_URL, and a throwaway database migrated by the runtime migrator.
 * Without DATABASE_URL the Worker still boots, with a database that never answers: neon-local in
 * front of an address where no PostgreSQL listens, so every query is answered with an HTTP error
 * (as Neon answers when it cannot reach the compute). Not a closed port for the proxy itself:
 * workerd (verbose under the vitest plugin) logs every refused subrequest as an uncaught
 * "Network connection lost", even when the driver catches the error. Stripe is fake-stripe, over
 * HTTP on 127.0.0.1.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stripe = await startFakeStripe();
  project.provide("stripeApiUrl", stripe.url);
  const closeRest = await setupDatabase(project);
  return async () => {
    await closeRest();
    await stripe.close();
  };
}

async function setupDatabase(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const unreachable = new URL(UNREACHABLE_DATABASE_URL);
    const server = await startNeonLocal({
      postgresHost: unreachable.hostname,
      postgresPort: Number(unreachable.port),
    });
    project.provide("workerDatabaseUrl", UNREACHABLE_DATABASE_URL);
    project.provide("neonProxy", server.proxy);
    return () => server.close();
  }

  const parsed = new URL(serverUrl);
  const name = `stayedge_w_${randomSuffix()}`;
  await withAdmin(serverUrl, (c) => c.query(`create database ${name}`));
  const url = withDatabase(serverUrl, name);
  const dropDatabase = () =>
    withAdmin(serverUrl, async (c) => {
      await c.query(`drop database if exists ${name} with (force)`);
    });
  let server: NeonLocal;
  try {
    const pool = postgresPool(url, 1);
    try {
      await migrate(postgresDatabase(pool), loadMigrations());
    } finally {
      await pool.end();
    }
    server = await startNeonLocal({
      postgresHost: parsed.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1",
      postgresPort: Number(parsed.port || 5432),
    });
  } catch (error) {
    await dropDatabase();
    throw error;
  }
  project.provide("workerDatabaseUrl", url);
  project.provide("neonProxy", server.proxy);
  return async () => {
    await server.close();
    await dropDatabase();
  };
}
