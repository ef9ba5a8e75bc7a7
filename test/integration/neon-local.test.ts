import { randomUUID } from "node:crypto";
import { neon, neonConfig, Pool } from "@neondatabase/serverless";
import { sql as dsql, eq } from "drizzle-orm";
import { drizzle as drizzleHttp } from "drizzle-orm/neon-http";
import { drizzle as drizzleWs } from "drizzle-orm/neon-serverless";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { loadMigrations } from "../../src/db/migrations-fs.ts";
import { neonPort } from "../../src/db/neon.ts";
import { localNeonConfig } from "../../src/db/neon-local-config.ts";
import { type NeonLocal, startNeonLocal } from "../support/neon-local.ts";

const databaseUrl = process.env.DATABASE_URL;

const things = pgTable("things", {
  id: integer("id").primaryKey(),
  name: text("name").notNull().unique(),
});

describe.skipIf(!databaseUrl || process.env.TEST_DB_ENGINE !== "postgres")(
  "neon-local (runs in integration:postgres, needs DATABASE_URL)",
  () => {
    const adminUrl = new URL(databaseUrl ?? "postgres://unused");
    let server: NeonLocal;
    let dbUrl: string;
    let dbName: string;

    const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
      const client = new pg.Client({ connectionString: adminUrl.href });
      await client.connect();
      try {
        return await fn(client);
      } finally {
        await client.end();
      }
    };

    const createThings = (url: string) =>
      neon(url)`create table things (id int primary key, name text not null unique)`;

    beforeAll(async () => {
      server = await startNeonLocal({
        postgresHost: adminUrl.hostname.replace(/^\[(.*)\]$/, "$1"),
        postgresPort: Number(adminUrl.port || 5432),
      });
      Object.assign(neonConfig, localNeonConfig(server.proxy));
    });

    afterAll(async () => {
      await server.close();
    });

    beforeEach(async () => {
      dbName = `neon_local_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
      await admin((c) => c.query(`create database ${dbName}`));
      const url = new URL(adminUrl.href);
      url.pathname = `/${dbName}`;
      dbUrl = url.href;
    });

    afterEach(async () => {
      await admin((c) => c.query(`drop database if exists ${dbName} with (force)`));
    });

    it("neon() over HTTP returns typed rows and full results", async () => {
      const sql = neon(dbUrl);
      const rows = await sql`select ${41}::int + 1 as n, ${"héllo"}::text as t,
      ${"2024-01-02T03:04:05.123Z"}::timestamptz as ts, ${JSON.stringify({ a: [1, "x"] })}::jsonb as j,
      true as b, null::int as nothing, ${[1, 2, 3]}::int[] as ints, array['a', null, 'c'] as texts,
      current_database() as db`;
      expect(rows).toEqual([
        {
          n: 42,
          t: "héllo",
          ts: new Date("2024-01-02T03:04:05.123Z"),
          j: { a: [1, "x"] },
          b: true,
          nothing: null,
          ints: [1, 2, 3],
          texts: ["a", null, "c"],
          db: dbName,
        },
      ]);

      const full = await sql.query("select $1::text as v", ["x"], {
        fullResults: true,
        arrayMode: true,
      });
      expect(full.command).toBe("SELECT");
      expect(full.rowCount).toBe(1);
      expect(full.rows).toEqual([["x"]]);
      expect(full.fields.map((f) => [f.name, f.dataTypeID])).toEqual([["v", 25]]);
    });

    it("neon() batch transaction commits atomically and rolls back on failure", async () => {
      const sql = neon(dbUrl);
      await createThings(dbUrl);
      const [, , counted] = await sql.transaction([
        sql`insert into things values (1, 'a')`,
        sql`insert into things values (2, 'b')`,
        sql`select count(*)::int as n from things`,
      ]);
      expect(counted).toEqual([{ n: 2 }]);

      await expect(
        sql.transaction([sql`insert into things values (3, 'c')`, sql`insert into things values (1, 'dup')`]),
      ).rejects.toMatchObject({ code: "23505" });
      expect(await sql`select id from things order by id`).toEqual([{ id: 1 }, { id: 2 }]);

      const [settings] = await sql.transaction(
        [
          sql`select current_setting('transaction_isolation') as iso, current_setting('transaction_read_only') as ro`,
        ],
        { isolationLevel: "Serializable", readOnly: true, deferrable: true },
      );
      expect(settings).toEqual([{ iso: "serializable", ro: "on" }]);
      await expect(
        sql.transaction([sql`insert into things values (9, 'z')`], { readOnly: true }),
      ).rejects.toMatchObject({
        code: "25006",
      });
    });

    it("neon() surfaces Postgres errors with their fields", async () => {
      const sql = neon(dbUrl);
      await createThings(dbUrl);
      await sql`insert into things values (1, 'a')`;
      const error = await sql`insert into things values (2, 'a')`.catch((e: unknown) => e);
      expect(error).toMatchObject({
        name: "NeonDbError",
        code: "23505",
        constraint: "things_name_key",
        table: "things",
        detail: "Key (name)=(a) already exists.",
        severity: "ERROR",
      });
      await expect(sql`select 1; select 2`).rejects.toMatchObject({ code: "42601" });
    });

    it("Pool over WebSocket runs queries and interactive transactions", async () => {
      const pool = new Pool({ connectionString: dbUrl });
      pool.on("error", () => {});
      try {
        const { rows } = await pool.query("select $1::int * 2 as n, current_database() as db", [21]);
        expect(rows).toEqual([{ n: 42, db: dbName }]);
        await pool.query("create table things (id int primary key, name text not null unique)");

        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          await client.query("insert into things values (1, $1)", ["rolled back"]);
          await client.query("ROLLBACK");
          await client.query("BEGIN");
          await client.query("insert into things values (2, $1)", ["kept"]);
          await expect(client.query("insert into things values (3, $1)", ["kept"])).rejects.toMatchObject({
            code: "23505",
          });
          await client.query("ROLLBACK");
          await client.query("BEGIN");
          await client.query("insert into things values (4, $1)", ["committed"]);
          await client.query("COMMIT");
        } finally {
          client.release();
        }
        const after = await pool.query("select id, name from things order by id");
        expect(after.rows).toEqual([{ id: 4, name: "committed" }]);
      } finally {
        await pool.end();
      }
    });

    it("drizzle neon-http runs queries", async () => {
      await createThings(dbUrl);
      const db = drizzleHttp({ client: neon(dbUrl) });
      await db.insert(things).values([
        { id: 1, name: "a" },
        { id: 2, name: "b" },
      ]);
      expect(await db.select().from(things).where(eq(things.id, 2))).toEqual([{ id: 2, name: "b" }]);
      const result = await db.execute(dsql`select ${7}::int as seven`);
      expect(result.rows).toEqual([{ seven: 7 }]);
    });

    it("drizzle neon-serverless runs queries and transactions", async () => {
      await createThings(dbUrl);
      const pool = new Pool({ connectionString: dbUrl });
      pool.on("error", () => {});
      try {
        const db = drizzleWs({ client: pool });
        await db.transaction(async (tx) => {
          await tx.insert(things).values({ id: 1, name: "a" });
        });
        await expect(
          db.transaction(async (tx) => {
            await tx.insert(things).values({ id: 2, name: "b" });
            tx.rollback();
          }),
        ).rejects.toThrow();
        expect(await db.select().from(things)).toEqual([{ id: 1, name: "a" }]);
      } finally {
        await pool.end();
      }
    });

    it("the app's runtime migrator applies every migration through the Neon WebSocket driver", async () => {
      const database = neonPort(dbUrl);
      const handle = database.connect();
      try {
        expect(await migrate(handle.db, loadMigrations())).toBe(loadMigrations().length);
        expect(await migrate(handle.db, loadMigrations())).toBe(0);
        const tables = await neon(dbUrl)`select count(*)::int as n from information_schema.tables
          where table_schema = 'public' and table_name in ('users', 'sessions', 'outbox')`;
        expect(tables).toEqual([{ n: 3 }]);
      } finally {
        await handle.release?.();
      }
    });
  },
);
