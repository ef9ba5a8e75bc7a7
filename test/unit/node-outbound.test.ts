import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeOutbound } from "../../src/adapters/node-outbound.ts";
import { OutboundRefusedError } from "../../src/ports.ts";

const signal = () => AbortSignal.timeout(5000);
const loopback = async () => [{ address: "127.0.0.1", family: 4 }];

describe("nodeOutbound", () => {
  it("resolves a name to every address", async () => {
    const outbound = nodeOutbound({
      resolveAll: async () => [
        { address: "93.184.215.14", family: 4 },
        { address: "2606:2800:21f:cb07::1", family: 6 },
      ],
    });
    expect(await outbound.resolve("cal.example.com")).toEqual(["93.184.215.14", "2606:2800:21f:cb07::1"]);
  });

  it.each([
    ["127.0.0.1", 4],
    ["10.1.2.3", 4],
    ["169.254.169.254", 4],
    ["::1", 6],
    ["::ffff:127.0.0.1", 6],
    ["fd00::1", 6],
  ])("refuses to connect when the name now resolves to %s (DNS rebinding)", async (address, family) => {
    let lookups = 0;
    const outbound = nodeOutbound({
      resolveAll: async () => {
        lookups++;
        return [{ address, family }];
      },
    });
    const error = await outbound
      .fetch("https://rebind.example.com/feed.ics", { headers: {}, signal: signal() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundRefusedError);
    expect(lookups).toBeGreaterThan(0);
  });

  it("refuses when one address of several is private", async () => {
    const outbound = nodeOutbound({
      resolveAll: async () => [
        { address: "93.184.215.14", family: 4 },
        { address: "192.168.1.10", family: 4 },
      ],
    });
    const error = await outbound
      .fetch("https://mixed.example.com/feed.ics", { headers: {}, signal: signal() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundRefusedError);
  });
});

const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)("nodeOutbound against a local HTTPS server", () => {
  let dir: string;
  let server: Server;
  let cert: string;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "stayedge-tls-"));
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"],
        ...["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")],
        ...["-subj", "/CN=feeds.example.com", "-addext", "subjectAltName=DNS:feeds.example.com"],
      ],
      { stdio: "ignore" },
    );
    cert = readFileSync(join(dir, "cert.pem"), "utf8");
    server = createServer({ key: readFileSync(join(dir, "key.pem")), cert }, (req, res) => {
      if (req.url === "/feed.ics") {
        res.writeHead(200, { "content-type": "text/calendar", "x-seen-accept": req.headers.accept ?? "" });
        res.write("BEGIN:VCALENDAR\r\n");
        setTimeout(() => res.end("END:VCALENDAR\r\n"), 10);
      } else if (req.url === "/moved") {
        res.writeHead(302, { location: "https://elsewhere.example.com/feed.ics" });
        res.end();
      } else {
        res.writeHead(304);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `https://feeds.example.com:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  // Tests widen `allow` to loopback: the real port only ever connects to public addresses.
  const outbound = () => nodeOutbound({ resolveAll: loopback, allow: () => true, ca: cert });

  it("answers a fetch Response with status, headers and the streamed body", async () => {
    const response = await outbound().fetch(`${base}/feed.ics`, {
      headers: { accept: "text/calendar" },
      signal: signal(),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar");
    expect(response.headers.get("x-seen-accept")).toBe("text/calendar");
    expect(await response.text()).toBe("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
  });

  it("returns a redirect as it is, without following it", async () => {
    const response = await outbound().fetch(`${base}/moved`, { headers: {}, signal: signal() });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("https://elsewhere.example.com/feed.ics");
  });

  it("answers a 304 without a body", async () => {
    const response = await outbound().fetch(`${base}/other`, { headers: {}, signal: signal() });
    expect(response.status).toBe(304);
    expect(response.body).toBeNull();
  });

  it("still refuses loopback with the default rule", async () => {
    const guarded = nodeOutbound({ resolveAll: loopback, ca: cert });
    const error = await guarded
      .fetch(`${base}/feed.ics`, { headers: {}, signal: signal() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundRefusedError);
  });

  it("aborts on its signal", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await outbound()
      .fetch(`${base}/feed.ics`, { headers: {}, signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
  });
});
