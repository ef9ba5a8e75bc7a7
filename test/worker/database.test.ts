import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { neonPort } from "../../src/db/neon.ts";
import { idempotencyKeys } from "../../src/db/schema/index.ts";
import worker from "../../src/worker.ts";
import { UNREACHABLE_DATABASE_URL } from "./fixtures.ts";

const BASE = "https://stayedge.test";
const hasDatabase = env.DATABASE_URL !== UNREACHABLE_DATABASE_URL;
const NEEDS_DB = "(needs DATABASE_URL)";

/** The app's own Neon port, from inside workerd: HTTP for queries, a WebSocket Pool for transactions. */
const port = neonPort(env.DATABASE_URL, env.NEON_LOCAL_PROXY);

function idempotencyKey(scope: string, key: string, expiresAt: Date) {
  return { scope, key, requestHash: "sha256:test", createdAt: new Date(), expiresAt };
}

describe("readiness", () => {
  it.skipIf(!hasDatabase)(`GET /ready is 200 through the Neon driver ${NEEDS_DB}`, async () => {
    const response = await exports.default.fetch(`${BASE}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ready",
      checks: { database: { status: "ok", kind: "neon" } },
    });
  });

  it("GET /ready is 503 SERVICE_UNAVAILABLE when the database does not answer", async () => {
    // Same neon-local proxy: with DATABASE_URL it refuses to reach a server it does not front; without,
    // it fronts this very address, where nothing listens. Either way an HTTP error, not a dead socket.
    const unreachable = { ...env, DATABASE_URL: UNREACHABLE_DATABASE_URL };
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`${BASE}/ready`), unreachable, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
  });
});

describe.skipIf(!hasDatabase)(`PostgreSQL from workerd over neon-local ${NEEDS_DB}`, () => {
  const scope = `worker-test-${crypto.randomUUID()}`;
  const later = () => new Date(Date.now() + 3_600_000);

  afterAll(async () => {
    const handle = port.connect();
    await handle.db.delete(idempotencyKeys).where(eq(idempotencyKeys.scope, scope));
    await handle.release?.();
  });

  it("a WebSocket Pool transaction commits, and HTTP queries see it", async () => {
    const handle = port.connect();
    try {
      const insideRead = await handle.db.transaction(async (tx) => {
        await tx.insert(idempotencyKeys).values(idempotencyKey(scope, "committed", later()));
        return tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.scope, scope));
      });
      expect(insideRead.map((row) => row.key)).toEqual(["committed"]);
      const afterwards = await handle.db
        .select({ key: idempotencyKeys.key })
        .from(idempotencyKeys)
        .where(eq(idempotencyKeys.scope, scope));
      expect(afterwards).toEqual([{ key: "committed" }]);
    } finally {
      await handle.release?.();
    }
  });

  it("a transaction that throws is rolled back", async () => {
    const handle = port.connect();
    try {
      await expect(
        handle.db.transaction(async (tx) => {
          await tx.insert(idempotencyKeys).values(idempotencyKey(scope, "rolled-back", later()));
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
      const rows = await handle.db
        .select({ key: idempotencyKeys.key })
        .from(idempotencyKeys)
        .where(eq(idempotencyKeys.scope, scope));
      expect(rows.map((row) => row.key)).not.toContain("rolled-back");
    } finally {
      await handle.release?.();
    }
  });

  it("scheduled() sweeps expired idempotency keys and keeps live ones", async () => {
    const handle = port.connect();
    try {
      await handle.db
        .insert(idempotencyKeys)
        .values([
          idempotencyKey(scope, "expired", new Date(Date.now() - 60_000)),
          idempotencyKey(scope, "live", later()),
        ]);
      await worker.scheduled(createScheduledController({ cron: "*/5 * * * *" }), env);
      const left = await handle.db
        .select({ key: idempotencyKeys.key })
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, scope), inArray(idempotencyKeys.key, ["expired", "live"])));
      expect(left).toEqual([{ key: "live" }]);
    } finally {
      await handle.release?.();
    }
  });
});
