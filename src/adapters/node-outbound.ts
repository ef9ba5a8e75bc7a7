import type { LookupAddress } from "node:dns";
import { lookup as systemLookup } from "node:dns/promises";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { Readable } from "node:stream";
import { isPublicAddress } from "../domain/calendar-sync/ip-address.ts";
import { type Outbound, OutboundRefusedError } from "../ports.ts";

type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

export interface NodeOutboundOptions {
  /** Resolves a name to all its addresses; the system resolver (getaddrinfo) by default. */
  resolveAll?: ResolveAll;
  /** Which addresses a connection may reach: public ones only (tests widen it to loopback). */
  allow?: (address: string) => boolean;
  /** Extra trusted certificates (tests' self-signed one). */
  ca?: string;
}

const refused = (hostname: string) =>
  new OutboundRefusedError(`${hostname} resolves to an address that is not on the public internet`);

/**
 * Node's outbound port: HTTPS requests through `node:https`, whose `lookup` hook lets every
 * connection check the addresses it is about to connect to. The domain checks a name before each
 * request; this check at connect time closes the gap a DNS rebinding attack would use (a name that
 * answers a public address to the first lookup and a private one to the connection's).
 */
export function nodeOutbound(options: NodeOutboundOptions = {}): Outbound {
  const resolveAll: ResolveAll = options.resolveAll ?? ((host) => systemLookup(host, { all: true }));
  const allow = options.allow ?? isPublicAddress;
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolveAll(hostname).then(
      (addresses) => {
        const [first] = addresses;
        if (!first)
          return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "");
        if (!addresses.every((a) => allow(a.address))) return callback(refused(hostname), "");
        if (lookupOptions.all) return callback(null, addresses);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
  // Its own pool: a connection another port opened (under another rule) is never reused here.
  const agent = new https.Agent({ keepAlive: true, maxSockets: 8, ...(options.ca && { ca: options.ca }) });
  return {
    resolve: async (hostname) => (await resolveAll(hostname)).map((a) => a.address),
    fetch: (url, init) => get(url, { headers: init.headers, signal: init.signal, lookup, agent }),
  };
}

/** One GET as a fetch `Response` (no redirect followed, no decompression: none is asked for). */
function get(url: string, options: https.RequestOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, options, (incoming) => {
      const status = incoming.statusCode ?? 0;
      if (status < 200 || status > 599) {
        incoming.destroy();
        return reject(new Error(`unexpected HTTP status ${status}`));
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
          headers.append(name, one);
      }
      const empty = status === 204 || status === 205 || status === 304;
      if (empty) incoming.resume();
      const body = empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
      resolve(new Response(body, { status, headers }));
    });
    request.on("error", reject);
  });
}
