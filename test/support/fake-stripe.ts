/**
 * fake-stripe: the Stripe emulator behind a real HTTP server on 127.0.0.1, so tests can point the
 * real `stripe` SDK (`host`/`port`/`protocol`) at it, as the app is in production at api.stripe.com.
 * The emulator records every request and event; tests read them from `fake.emulator`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import Stripe from "stripe";
import {
  createStripeEmulator,
  type StripeEmulator,
  type StripeEmulatorOptions,
} from "../../src/adapters/stripe-emulator/emulator.ts";

/**
 * Not Stripe's: every event so far, as JSON, for tests that cannot reach `fake.emulator` (the
 * workerd suites, whose fake runs in the Node process of the global setup).
 */
export const EVENTS_PATH = "/_fake/events";

export interface FakeStripe {
  url: string;
  host: "127.0.0.1";
  port: number;
  protocol: "http";
  emulator: StripeEmulator;
  close(): Promise<void>;
}

export async function startFakeStripe(options: StripeEmulatorOptions = {}): Promise<FakeStripe> {
  const emulator = createStripeEmulator(options);
  const server = createServer(async (req, res) => {
    try {
      const method = req.method ?? "GET";
      if (req.url === EVENTS_PATH) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(emulator.events));
        return;
      }
      const body = method === "GET" || method === "HEAD" ? undefined : await text(req);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const answer = await emulator.fetch(
        new Request(`http://127.0.0.1${req.url ?? "/"}`, { method, headers, body }),
      );
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(await answer.text());
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: "127.0.0.1",
    port,
    protocol: "http",
    emulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The real SDK aimed at the fake; no retries, so each call is exactly one request. */
export function stripeClient(fake: Pick<FakeStripe, "host" | "port">, secretKey = "sk_test_fake"): Stripe {
  return new Stripe(secretKey, {
    host: fake.host,
    port: fake.port,
    protocol: "http",
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 0,
  });
}
