/**
 * upstash-local: a local stand-in for Upstash's Redis REST endpoint over a real Redis, so the real
 * `@upstash/redis` client (and `@upstash/ratelimit` on top of it) runs against plain Redis in tests.
 * Speaks what the client sends: POST `/` with one command array, POST `/pipeline` and `/multi-exec`
 * with an array of them, `Authorization: Bearer <token>`; answers `{ result }` / `{ error }` (HTTP 400
 * for a failed single command, per-entry errors for the batch endpoints), with string results
 * base64-encoded when the request carries `Upstash-Encoding: base64` (except a top-level "OK").
 *
 * Scripts: @upstash/ratelimit's Lua scripts start with `#!lua flags=allow-key-locking`, a flag Redis
 * 7.0 rejects. That exact first line is stripped from EVAL / SCRIPT LOAD, and since the client's
 * EVALSHA names the SHA-1 of the original text, EVALSHA is rewritten to the stripped script's SHA-1
 * (SCRIPT LOAD answers the original's). An unknown SHA still gets NOSCRIPT, on which the client falls
 * back to EVAL, which records the mapping.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { text } from "node:stream/consumers";
import { createClient, RESP_TYPES } from "redis";

export interface UpstashLocal {
  url: string;
  token: string;
  close(): Promise<void>;
}

export interface UpstashLocalOptions {
  redisUrl: string;
  /** Bearer token clients must send; random by default. */
  token?: string;
  /** 0 (default) picks a free port. */
  port?: number;
}

type Reply = { result: unknown } | { error: string };

const SHEBANG = "#!lua flags=allow-key-locking\n";
const sha1 = (s: string): string => createHash("sha1").update(s).digest("hex");

export async function startUpstashLocal(options: UpstashLocalOptions): Promise<UpstashLocal> {
  const token = options.token ?? randomBytes(16).toString("hex");
  // Bulk strings as Buffers so values are base64-encoded byte for byte; simple strings ("OK") stay strings.
  const redis = createClient({
    url: options.redisUrl,
    commandOptions: { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } },
  });
  redis.on("error", () => {});
  await redis.connect();
  const shas = new Map<string, string>(); // SHA-1 of the original script → of the stripped one

  const rewrite = (command: string[]): string[] => {
    const [name = "", ...rest] = command;
    const upper = name.toUpperCase();
    const at =
      upper === "SCRIPT" && rest[0]?.toUpperCase() === "LOAD" ? 2 : upper.startsWith("EVAL") ? 1 : -1;
    const arg = command[at];
    if (arg === undefined) return command;
    const out = [...command];
    if (upper.startsWith("EVALSHA")) out[at] = shas.get(arg.toLowerCase()) ?? arg;
    else if (arg.startsWith(SHEBANG)) {
      out[at] = arg.slice(SHEBANG.length);
      shas.set(sha1(arg), sha1(out[at]));
    }
    return out;
  };

  const encode = (value: unknown, base64: boolean, top: boolean): unknown => {
    if (Buffer.isBuffer(value)) return value.toString(base64 ? "base64" : "utf8");
    if (typeof value === "string")
      return !base64 || (top && value === "OK") ? value : Buffer.from(value).toString("base64");
    if (Array.isArray(value)) return value.map((v) => encode(v, base64, false));
    if (value instanceof Error) return encode(value.message, base64, false);
    return value ?? null;
  };

  const reply = (command: string[], value: unknown, base64: boolean): Reply => {
    if (value instanceof Error) return { error: value.message };
    // SCRIPT LOAD answers the SHA-1 the client computed from the text it sent.
    if (
      command[0]?.toUpperCase() === "SCRIPT" &&
      command[1]?.toUpperCase() === "LOAD" &&
      command[2] !== undefined
    ) {
      value = sha1(command[2]);
    }
    return { result: encode(value, base64, true) };
  };

  const run = (command: string[]): Promise<unknown> =>
    redis
      .sendCommand(rewrite(command))
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: "Unauthorized" });
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const base64 = String(req.headers["upstash-encoding"]).toLowerCase() === "base64";
    if (req.method !== "POST") return send(res, 405, { error: "ERR only POST is served" });
    let body: unknown;
    try {
      body = JSON.parse(await text(req));
    } catch {
      return send(res, 400, { error: "ERR failed to parse the request body as JSON" });
    }
    if (path === "/") {
      const command = toCommand(body);
      if (command === undefined) return send(res, 400, { error: "ERR expected a command array" });
      const answer = reply(command, await run(command), base64);
      return send(res, "error" in answer ? 400 : 200, answer);
    }
    if (path !== "/pipeline" && path !== "/multi-exec") return send(res, 404, { error: "ERR unknown path" });
    const commands = Array.isArray(body) ? body.map(toCommand) : [];
    if (commands.length === 0 || !commands.every((c): c is string[] => c !== undefined)) {
      return send(res, 400, { error: "ERR expected an array of command arrays" });
    }
    let values: unknown[];
    if (path === "/pipeline") values = await Promise.all(commands.map(run));
    else {
      const multi = redis.multi();
      for (const command of commands) multi.addCommand(rewrite(command));
      try {
        values = await multi.exec();
      } catch (error) {
        if (error instanceof Error && "replies" in error && Array.isArray(error.replies))
          values = error.replies;
        else return send(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
    }
    send(
      res,
      200,
      commands.map((command, i) => reply(command, values[i], base64)),
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("upstash-local: no TCP address");

  return {
    url: `http://127.0.0.1:${address.port}`,
    token,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await redis.close();
    },
  };
}

/** A command array as Redis arguments (the client sends numbers unquoted). */
function toCommand(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((part) => (typeof part === "string" ? part : JSON.stringify(part)));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
