import { Worker } from "node:worker_threads";
import { startFakeStripe } from "../../test/support/fake-stripe.ts";
import type { BookingFloorSet } from "./booking-floors.ts";
import type { FloorSet } from "./floors.ts";
import type { ServerWorkerData, ServerWorkerMessage, ToServerWorker } from "./server-worker.ts";

/** The main thread's handle on the server worker (server-worker.ts). */
export interface Servers {
  /** The app as deployed (its cache on). */
  appUrl: string;
  /** The same app with a cache that never hits. */
  uncachedUrl: string;
  /** The bare Hono app: the ceiling at `/`, the floors under `/floor/`. */
  bareUrl: string;
  databaseKind: string;
  setFloors(floors: Record<string, FloorSet>, bookings: Record<string, BookingFloorSet>): Promise<void>;
  /** Runs a statement on the servers' database (on PGlite nothing else may open it). */
  sql(text: string, values?: unknown[]): Promise<unknown[][]>;
  /** The CPU time the server thread has used so far, in µs: what a run cost it. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

export async function startServers(data: Omit<ServerWorkerData, "stripeUrl">): Promise<Servers> {
  // Production calls Stripe over HTTP; here fake-stripe answers, on this thread, not the servers'.
  const stripe = await startFakeStripe();
  const worker = new Worker(new URL("./server-worker.ts", import.meta.url), {
    workerData: { ...data, stripeUrl: stripe.url } satisfies ServerWorkerData,
  });
  const send = (message: ToServerWorker) => worker.postMessage(message);
  const reply = <T extends ServerWorkerMessage["type"]>(type: T, timeoutMs: number) =>
    new Promise<Extract<ServerWorkerMessage, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the server worker did not answer ${type}`)),
        timeoutMs,
      );
      const listener = (message: ServerWorkerMessage) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        worker.off("message", listener);
        resolve(message as Extract<ServerWorkerMessage, { type: T }>);
      };
      worker.on("message", listener);
    });
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.on("error", (error) => console.error(`bench: the server worker failed: ${error}`));
    worker.once("message", (message: ServerWorkerMessage) => {
      if (message.type === "failed") {
        reject(new Error(`the server worker failed: ${message.message}`));
        return;
      }
      if (message.type !== "ready") return;
      const url = (port: number) => `http://127.0.0.1:${port}`;
      resolve({
        appUrl: url(message.appPort),
        uncachedUrl: url(message.uncachedPort),
        bareUrl: url(message.barePort),
        databaseKind: message.databaseKind,
        setFloors: async (floors, bookings) => {
          const done = reply("floors-set", 60_000);
          send({ type: "floors", floors, bookings });
          await done;
        },
        sql: async (text, values = []) => {
          const done = reply("sql-done", 120_000);
          send({ type: "sql", text, values });
          const answer = await done;
          if (answer.error) throw new Error(`bench SQL failed: ${answer.error}`);
          return answer.rows;
        },
        cpuMicros: async () => {
          const answer = reply("cpu", 10_000);
          send({ type: "cpu" });
          return (await answer).micros;
        },
        stop: async () => {
          const done = reply("stopped", 15_000).catch(() => {});
          send({ type: "stop" });
          await done;
          await worker.terminate();
          await stripe.close();
        },
      });
    });
  });
}
