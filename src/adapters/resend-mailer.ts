import type { MailSettings } from "../config.ts";
import { type Logger, MailDeliveryError, type Mailer } from "../ports.ts";
import { logMailer } from "./log-mailer.ts";

export const RESEND_API_URL = "https://api.resend.com";
const TIMEOUT_MS = 10_000;

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
}

/**
 * E-mail through Resend's HTTP API (`POST /emails`), with plain `fetch`: it runs on Workers and
 * Node alike. The message's idempotency key goes in `Idempotency-Key`, so Resend sends a message
 * handed to it twice (a job run again) once, within its 24 hours. A failure worth trying again (no
 * answer, a timeout, 429, 5xx, a concurrent send with the same key) throws `unavailable`: the job
 * is retried. Anything else Resend refuses (a bad address, an unverified sender, a wrong key)
 * throws `refused`: trying again changes nothing, and the job ends dead with that reason.
 */
export function resendMailer(options: ResendOptions): Mailer {
  const endpoint = new URL("/emails", options.apiUrl ?? RESEND_API_URL);
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    async send(message, { idempotencyKey } = {}) {
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
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        const why = error instanceof Error ? error.name : "unknown";
        throw new MailDeliveryError("unavailable", `Resend did not answer (${why})`);
      }
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      const error = (await response.json().catch(() => ({}))) as ResendError;
      const name = typeof error.name === "string" ? error.name : `http_${response.status}`;
      const transient =
        response.status === 429 ||
        response.status >= 500 ||
        transientNames.has(name) ||
        response.status === 408;
      // Resend's messages name the field at fault, never the key; a recipient's address can be in them.
      const detail = typeof error.message === "string" ? `: ${error.message}` : "";
      throw new MailDeliveryError(
        transient ? "unavailable" : "refused",
        `Resend answered ${response.status} ${name}${detail}`,
        name,
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
