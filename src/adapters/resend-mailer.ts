import type { MailSettings } from "../config.ts";
import { type Logger, MailDeliveryError, type Mailer } from "../ports.ts";
import { logMailer } from "./log-mailer.ts";

export const RESEND_API_URL = "https://api.resend.com";
const TIMEOUT_MS = 10_000;

/**
 * The wait Resend asks for in `Retry-After` (seconds, or an HTTP date), if any: set on the error
 * as `retryAfterSeconds`, for a job engine that can wait that long before its next try.
 */
function retryAfterSeconds(response: Response, now: number): number | undefined {
  const value = response.headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Resend's error body: `{ statusCode, name, message }` (https://resend.com/docs/api-reference/errors). */
interface ResendError {
  name?: string;
  message?: string;
}

/** Refusals that pass: a send with the same key still under way (409), the rate or daily quota (429). */
const transientNames = new Set([
  "concurrent_idempotent_requests",
  "rate_limit_exceeded",
  "daily_quota_exceeded",
]);

export interface ResendOptions {
  apiKey: string;
  /** The sender, `Name <address>` or an address of a domain verified at Resend. */
  from: string;
  /** Another base URL (a local fake in tests); Resend's own by default. */
  apiUrl?: URL | undefined;
  /** `fetch` by default; kept behind a function so Workers call it unbound. */
  fetch?: typeof fetch;
  /** How long to wait for Resend's answer (10 s by default): past it, the send is `unavailable`. */
  timeoutMs?: number | undefined;
}

/**
 * E-mail through Resend's HTTP API (`POST /emails`), with plain `fetch`: it runs on Workers and
 * Node alike. The message's idempotency key goes in `Idempotency-Key`, so Resend sends a message
 * handed to it twice (a job run again) once, within its 24 hours. A failure worth trying again (no
 * answer, a timeout, 429, 5xx, a concurrent send with the same key) throws `unavailable`: the job
 * is retried (with Resend's `Retry-After` as `retryAfterSeconds` when it sent one). Anything else
 * Resend refuses (a bad address, an unverified sender, a wrong key, the same key with another
 * message) throws `refused`: trying again changes nothing, and the job ends dead with that reason.
 */
export function resendMailer(options: ResendOptions): Mailer {
  const endpoint = new URL("/emails", options.apiUrl ?? RESEND_API_URL);
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    async send(message, { idempotencyKey, signal } = {}) {
      const headers: Record<string, string> = {
        authorization: `Bearer ${options.apiKey}`,
        "content-type": "application/json",
        "user-agent": "stayedge",
      };
      if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey;
      const body = {
        from: options.from,
        to: [message.to],
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined && { html: message.html }),
      };
      let response: Response;
      try {
        response = await send(endpoint, {
          method: "POST",
          headers,
          body: JSON.stringify(body),
          signal: AbortSignal.any([
            AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
            ...(signal ? [signal] : []),
          ]),
        });
      } catch (error) {
        const why = error instanceof Error ? error.name : "unknown";
        throw new MailDeliveryError("unavailable", `Resend did not answer (${why})`);
      }
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      const parsed: unknown = await response.json().catch(() => undefined);
      // Anything but Resend's error object (a proxy's page, `null`) is read as no detail.
      const error: ResendError = typeof parsed === "object" && parsed !== null ? parsed : {};
      const name = typeof error.name === "string" ? error.name : `http_${response.status}`;
      const transient =
        response.status === 429 ||
        response.status >= 500 ||
        transientNames.has(name) ||
        response.status === 408;
      // Resend's messages name the field at fault (a recipient's address can be in them, which the
      // job's record strips); the key is taken out should anything in between echo it back.
      const detail =
        typeof error.message === "string" ? `: ${error.message.replaceAll(options.apiKey, "[key]")}` : "";
      throw new MailDeliveryError(
        transient ? "unavailable" : "refused",
        `Resend answered ${response.status} ${name}${detail}`,
        { code: name, retryAfterSeconds: transient ? retryAfterSeconds(response, Date.now()) : undefined },
      );
    },
  };
}

/** The mailer the settings ask for: Resend, or the log (the embedded default). */
export function mailerFor(settings: MailSettings, options: { logger: Logger; includeBody: boolean }): Mailer {
  if (settings.provider === "resend") {
    return resendMailer({ apiKey: settings.apiKey, from: settings.from, apiUrl: settings.apiUrl });
  }
  return logMailer(options.logger, { includeBody: options.includeBody });
}
