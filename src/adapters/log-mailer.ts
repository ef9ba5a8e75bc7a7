import { LRUCache } from "lru-cache";
import type { Logger, Mailer } from "../ports.ts";

/**
 * Writes each e-mail to the log so a person running the app can follow its link. The only mailer
 * until an e-mail provider is configured. In production the body (it holds single-use links) is
 * left out: logs are read by more people than the mail's recipient. A message delivered again
 * with the same idempotency key (a job run twice) is logged once, as long as this process lives.
 */
export function logMailer(logger: Logger, options: { includeBody: boolean }): Mailer {
  const sent = new LRUCache<string, true>({ max: 10_000 });
  return {
    async send(message, { idempotencyKey } = {}) {
      if (idempotencyKey !== undefined) {
        if (sent.has(idempotencyKey)) return;
        sent.set(idempotencyKey, true);
      }
      const body = options.includeBody ? { text: message.text } : {};
      logger.log("info", "mail", { to: message.to, subject: message.subject, ...body });
    },
  };
}
