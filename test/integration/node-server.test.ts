import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, engine } from "../support/test-database.ts";

const entry = fileURLToPath(new URL("../../src/node.ts", import.meta.url));

interface Server {
  child: ChildProcess;
  output(): string;
  /** Resolves with the base URL once the server logs that it listens. */
  listening: Promise<string>;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Server {
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"message":"listening","url":"([^"]+)"/.exec(output);
      if (match?.[1] && output.includes("Press Ctrl-C to stop.")) resolve(match[1]);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", () => reject(new Error(`server exited before listening:\n${output}`)));
  });
  listening.catch(() => {});
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, listening, exited };
}

describe.skipIf(engine !== "pglite")("npm start (embedded PGlite)", () => {
  const dir = mkdtempSync(join(tmpdir(), "stayedge-start-"));
  const dataDir = join(dir, "nested", "data");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("creates and migrates the data directory, refuses a second process, stops cleanly, reopens as is", async () => {
    const first = startServer({ DATA_DIR: dataDir });
    const base = await first.listening;
    expect(first.output()).toContain(`${dataDir} (new)`);
    expect(first.output()).toContain(`${base}/docs`);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = (await (await fetch(`${base}/ready`)).json()) as { checks: { database: { kind: string } } };
    expect(ready.checks.database.kind).toBe("pglite");
    expect(first.output()).toContain("demo accounts  admin@stayedge.test");
    const login = await fetch(`${base}/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "host@stayedge.test", password: "stayedge-demo" }),
    });
    expect(login.status, await login.clone().text()).toBe(200);
    const portugal = (await (await fetch(`${base}/v1/listings?country=PT`)).json()) as { items: unknown[] };
    expect(portugal.items).toHaveLength(2);

    const second = startServer({ DATA_DIR: dataDir });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/Another stayedge process \(pid \d+\) is using this data directory/);

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);

    const again = startServer({ DATA_DIR: dataDir });
    await again.listening;
    expect(again.output()).toContain('"migrationsApplied":0');
    expect(again.output()).not.toContain("(new)");
    expect(again.output()).not.toContain("demo accounts");
    again.child.kill("SIGINT");
    expect(await again.exited).toBe(0);
  }, 60_000);

  it("takes over a lock left by a process that no longer exists", async () => {
    const staleDir = join(dir, "stale");
    writeFileSync(`${staleDir}.lock`, "999999");
    const server = startServer({ DATA_DIR: staleDir });
    await server.listening;
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }, 60_000);

  it.each([
    ["PORT", "eighty"],
    ["LOG_LEVEL", "chatty"],
    ["DATABASE_URL", "mysql://root@localhost/db"],
  ])("exits non-zero naming %s when it is malformed", async (setting, value) => {
    const server = startServer({ DATA_DIR: join(dir, "unused"), [setting]: value });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(`stayedge: Invalid configuration: ${setting}`);
    expect(server.output()).not.toContain(value);
  });
});

describe.skipIf(engine !== "postgres")("npm start with DATABASE_URL (PostgreSQL)", () => {
  it("serves from the PostgreSQL server instead of PGlite", async () => {
    const database = await createTestDatabase();
    try {
      const server = startServer({ DATABASE_URL: database.url ?? "" });
      const base = await server.listening;
      const ready = (await (await fetch(`${base}/ready`)).json()) as {
        checks: { database: { kind: string } };
      };
      expect(ready.checks.database.kind).toBe("postgres");
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    } finally {
      await database.close();
    }
  }, 60_000);
});
