import { neon, neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle as drizzleHttp } from "drizzle-orm/neon-http";
import { drizzle as drizzleWebSocket } from "drizzle-orm/neon-serverless";
import type { Database, DatabasePort } from "./database.ts";
import { localNeonConfig } from "./neon-local-config.ts";
import * as schema from "./schema/index.ts";

/**
 * Neon from a Worker: one-shot queries go over HTTP (no connection set-up), transactions over a
 * WebSocket `Pool` made for the request that needs one: Workers may not share I/O objects
 * between requests, so a pool never outlives its request.
 * `localProxy` (`host:port`) points the driver at test/support/neon-local.ts instead of Neon.
 */
export function neonPort(connectionString: string, localProxy?: string): DatabasePort {
  if (localProxy) Object.assign(neonConfig, localNeonConfig(localProxy));
  const httpDb = drizzleHttp({ client: neon(connectionString), schema, casing: "snake_case" });
  return {
    kind: "neon",
    connect() {
      let pool: Pool | undefined;
      const db = new Proxy(httpDb, {
        get(target, property, receiver) {
          if (property !== "transaction") return Reflect.get(target, property, receiver);
          if (!pool) {
            pool = new Pool({ connectionString });
            // A socket closed after end() still emits; unobserved, it would fail the request.
            pool.on("error", () => {});
          }
          const wsDb = drizzleWebSocket({ client: pool, schema, casing: "snake_case" });
          return wsDb.transaction.bind(wsDb);
        },
      }) as unknown as Database;
      return { db, release: async () => pool?.end() };
    },
    close: async () => {},
  };
}
