/**
 * fake-resend: what the app sends to Resend's `POST /emails`, behind a real HTTP server on
 * 127.0.0.1, as Resend answers it (https://resend.com/docs/api-reference/emails/send-email): it
 * checks the bearer key and the body's shape, keeps each `Idempotency-Key` (a repeat with the same
 * body gets the first answer and sends nothing; with another body, 409 `invalid_idempotent_request`),
 * and answers errors as `{ statusCode, name, message }`. Tests may make it fail the next requests
 * (with headers such as `Retry-After`, or a body that is not Resend's), or not answer them at all.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";

export interface ReceivedEmail {
  id: string;
  idempotencyKey: string | undefined;
  from: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
}

export interface FakeResend {
  url: string;
  apiKey: string;
  /** Every request, as received. */
  requests: Array<{ method: string; path: string; headers: Record<string, string>; body: string }>;
  /** The e-mails Resend would have sent, each once. */
  sent: ReceivedEmail[];
  /** The next requests are answered with these errors, in order, before any is looked at. */
  failNext(...errors: Failure[]): void;
  /** The next `count` requests get no answer (until the client gives up or the fake closes). */
  hangNext(count?: number): void;
  close(): Promise<void>;
}

export interface Failure {
  status: number;
  name: string;
  message?: string;
  headers?: Record<string, string>;
  /** Sent instead of Resend's JSON error (a proxy's page, `null`). */
  rawBody?: string;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string> | undefined;
  rawBody?: string | undefined;
}

const error = (status: number, name: string, message: string): Answer => ({
  status,
  body: { statusCode: status, name, message },
});

export async function startFakeResend(apiKey = "re_test_fake_key"): Promise<FakeResend> {
  const requests: FakeResend["requests"] = [];
  const sent: ReceivedEmail[] = [];
  const byKey = new Map<string, { body: string; id: string }>();
  const failures: Failure[] = [];
  let hanging = 0;

  const answer = (method: string, path: string, headers: Record<string, string>, body: string): Answer => {
    const failure = failures.shift();
    if (failure) {
      return {
        ...error(failure.status, failure.name, failure.message ?? failure.name),
        headers: failure.headers,
        rawBody: failure.rawBody,
      };
    }
    if (method !== "POST" || path !== "/emails") return error(404, "not_found", "Not found");
    if (headers.authorization === undefined)
      return error(401, "missing_api_key", "Missing API key in the authorization header.");
    if (headers.authorization !== `Bearer ${apiKey}`)
      return error(403, "invalid_api_key", "API key is invalid");
    if (!headers["content-type"]?.startsWith("application/json")) {
      return error(400, "validation_error", "Content-Type must be application/json");
    }
    const key = headers["idempotency-key"];
    if (key !== undefined && (key.length < 1 || key.length > 256)) {
      return error(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    }
    let email: Omit<ReceivedEmail, "id" | "idempotencyKey">;
    try {
      email = JSON.parse(body);
    } catch {
      return error(400, "validation_error", "Invalid JSON");
    }
    const to = email.to as unknown;
    if (typeof email.from !== "string" || typeof email.subject !== "string" || !Array.isArray(to)) {
      return error(422, "validation_error", "Missing `from`, `to` or `subject` field.");
    }
    if (to.some((address) => typeof address !== "string" || !/^[^\s@]+@[^\s@]+$/.test(address))) {
      return error(422, "validation_error", "Invalid `to` field.");
    }
    if (typeof email.text !== "string" && typeof email.html !== "string") {
      return error(422, "validation_error", "Missing `html` or `text` field.");
    }
    if (key !== undefined) {
      const seen = byKey.get(key);
      if (seen && seen.body !== body) {
        return error(
          409,
          "invalid_idempotent_request",
          "Same idempotency key used with a different request payload.",
        );
      }
      if (seen) return { status: 200, body: { id: seen.id } };
    }
    const id = crypto.randomUUID();
    if (key !== undefined) byKey.set(key, { body, id });
    sent.push({ id, idempotencyKey: key, ...email });
    return { status: 200, body: { id } };
  };

  const server = createServer(async (req, res) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const body = await text(req);
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    requests.push({ method, path, headers, body });
    if (hanging > 0) {
      hanging--;
      return;
    }
    const result = answer(method, path, headers, body);
    res.writeHead(result.status, { "content-type": "application/json", ...result.headers });
    res.end(result.rawBody ?? JSON.stringify(result.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    sent,
    failNext: (...errors) => void failures.push(...errors),
    hangNext: (count = 1) => {
      hanging += count;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((closeError) => (closeError ? reject(closeError) : resolve()));
      }),
  };
}
