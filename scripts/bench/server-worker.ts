/**
 * The servers under test, in a worker thread of the bench process: the real app (createApp +
 * nodeDeps, production settings, silent logs) and a bare Hono app as the ceiling. Keeping them
 * off the main thread leaves that thread to autocannon, so the load generator does not steal the
 * server's event loop (or inflate its latencies) on a small machine.
 */
import type { AddressInfo } from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createApp } from "../../src/app.ts";
import { parseConfig } from "../../src/config.ts";
import { openNodeDatabase } from "../../src/node/database.ts";
import { nodeDeps } from "../../src/node/deps.ts";

export interface ServerWorkerData {
  databaseUrl?: string;
  dataDir: string;
}

export type ServerWorkerMessage =
  | { type: "ready"; appPort: number; barePort: number; databaseKind: string }
  | { type: "stopped" }
  | { type: "failed"; message: string };

const port = parentPort;
if (!port) throw new Error("server-worker.ts runs as a worker thread of scripts/bench.ts");
const data = workerData as ServerWorkerData;

try {
  const opened = await openNodeDatabase({ databaseUrl: data.databaseUrl, dataDir: data.dataDir });
  const config = parseConfig({
    APP_ENV: "production",
    LOG_LEVEL: "silent",
    JWT_SECRET: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url"),
  });
  const deps = nodeDeps(config, opened.database);
  const app = createApp(deps);
  const bare = new Hono().get("/", (c) => c.json({ ok: true }));
  const listen = (fetch: (request: Request, env: unknown) => Response | Promise<Response>) =>
    new Promise<ReturnType<typeof serve>>((resolve) => {
      const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(server));
    });
  const appServer = await listen(app.fetch);
  const bareServer = await listen(bare.fetch);
  const portOf = (server: ReturnType<typeof serve>) => (server.address() as AddressInfo).port;
  port.postMessage({
    type: "ready",
    appPort: portOf(appServer),
    barePort: portOf(bareServer),
    databaseKind: opened.database.kind,
  } satisfies ServerWorkerMessage);

  port.on("message", async (message: unknown) => {
    if (message !== "stop") return;
    const close = (server: ReturnType<typeof serve>) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets autocannon left open must not hold the close forever.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    await Promise.all([close(appServer), close(bareServer)]);
    await deps.drainJobs();
    await opened.close();
    port.postMessage({ type: "stopped" } satisfies ServerWorkerMessage);
    port.close();
  });
} catch (error) {
  port.postMessage({
    type: "failed",
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  } satisfies ServerWorkerMessage);
}
