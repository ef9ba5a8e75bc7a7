import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { loadMigrations } from "../../src/db/migrations-fs.ts";
import { postgresPool, postgresPort } from "../../src/db/node-postgres.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { engine, queryRows } from "../support/test-database.ts";

describe("runtime migrator", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("has applied every committed migration to the template, and a second run applies none", async () => {
    const { db } = t.deps.database.connect();
    const rows = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    expect(rows[0]?.n).toBe(loadMigrations().length);
    expect(await migrate(db, loadMigrations())).toBe(0);
  });

  it("created the custom migration's extensions", async () => {
    const { db } = t.deps.database.connect();
    const rows = await queryRows<{ extname: string }>(
      db,
      sql`select extname from pg_extension where extname in ('btree_gist', 'pg_trgm') order by extname`,
    );
    expect(rows.map((r) => r.extname)).toEqual(["btree_gist", "pg_trgm"]);
  });

  // Racing migrators need real concurrent sessions: PGlite runs one transaction at a time.
  it.skipIf(engine !== "postgres")(
    "lets several processes start together: one applies, the others wait and apply nothing (PostgreSQL)",
    async () => {
      const url = t.db.url ?? "";
      const { db } = t.deps.database.connect();
      await db.execute(sql`drop schema drizzle cascade`);
      await db.execute(sql`drop schema public cascade`);
      await db.execute(sql`create schema public`);
      const pools = Array.from({ length: 4 }, () => postgresPool(url, 1));
      try {
        const applied = await Promise.all(
          pools.map((pool) => migrate(postgresPort(pool).connect().db, loadMigrations())),
        );
        expect(applied.sort()).toEqual([0, 0, 0, loadMigrations().length]);
      } finally {
        await Promise.all(pools.map((pool) => pool.end()));
      }
    },
  );

  it("applies a migration merged late, older than the last applied one", async () => {
    const { db } = t.deps.database.connect();
    const committed = loadMigrations();
    const late = { sql: ["create table late_arrival (id int)"], folderMillis: 1, hash: "late", bps: true };
    expect(await migrate(db, [late, ...committed])).toBe(1);
    const rows = await queryRows<{ t: string | null }>(
      db,
      sql`select to_regclass('late_arrival')::text as t`,
    );
    expect(rows[0]?.t).toBe("late_arrival");
    expect(await migrate(db, [late, ...committed])).toBe(0);
  });

  it("rolls a failing migration back whole", async () => {
    const { db } = t.deps.database.connect();
    const broken = {
      sql: ["create table half_done (id int)", "select * from no_such_table"],
      folderMillis: Date.now() + 1_000_000,
      hash: "broken",
      bps: true,
    };
    await expect(migrate(db, [...loadMigrations(), broken])).rejects.toThrow();
    const rows = await queryRows<{ t: string | null }>(db, sql`select to_regclass('half_done')::text as t`);
    expect(rows[0]?.t).toBeNull();
    expect(await migrate(db, loadMigrations())).toBe(0);
  });
});
