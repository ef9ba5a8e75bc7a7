/** The e-mail port: what the mailer adapters (log, Resend) implement. */

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The same message as HTML (src/domain/notifications/templates/render.ts writes both). */
  html?: string | undefined;
}

/**
 * Outgoing e-mail. Delivered from the outbox by a job, never inside a request's transaction. A
 * message sent again with the same `idempotencyKey` is delivered once.
 */
export interface Mailer {
  /** Throws `MailDeliveryError` when the message did not leave; `signal` gives up waiting. */
  send(
    message: MailMessage,
    options?: { idempotencyKey?: string | undefined; signal?: AbortSignal | undefined },
  ): Promise<void>;
}

/**
 * Why an e-mail did not leave: the provider refused it (`refused`: a bad address, a sender it
 * does not accept, a wrong key; trying again changes nothing) or could not take it now
 * (`unavailable`: no answer, rate limited, its own error; try again, with the same key).
 */
export class MailDeliveryError extends Error {
  readonly kind: "refused" | "unavailable";
  /** The provider's name for the error, when it gave one. */
  readonly code: string | undefined;
  /** A refusal: the job that met it is dead at once (`isPermanentFailure`). */
  readonly permanent: boolean;
  /** How long the provider asked to be left alone (its `Retry-After`), when it said. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    kind: "refused" | "unavailable",
    message: string,
    details: { code?: string | undefined; retryAfterSeconds?: number | undefined } = {},
  ) {
    super(message);
    this.name = kind === "refused" ? "MailRefusedError" : "MailUnavailableError";
    this.kind = kind;
    this.code = details.code;
    this.permanent = kind === "refused";
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** Whether a job's failure is one no retry can fix (an error that says `permanent: true`). */
export function isPermanentFailure(error: unknown): boolean {
  return error instanceof Error && (error as { permanent?: unknown }).permanent === true;
}

/** How long a job's failure asks to wait before the next try (an error's `retryAfterSeconds`), if it does. */
export function retryAfterOf(error: unknown): number | undefined {
  const seconds =
    error instanceof Error ? (error as { retryAfterSeconds?: unknown }).retryAfterSeconds : undefined;
  return typeof seconds === "number" && seconds > 0 ? seconds : undefined;
}
