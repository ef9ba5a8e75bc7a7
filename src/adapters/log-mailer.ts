import type { Logger, Mailer } from "../ports.ts";

/**
 * Writes each e-mail to the log so a person running the app can follow its link. The only mailer
 * until an e-mail provider is configured; in production that means nobody receives the mail.
 */
export function logMailer(logger: Logger): Mailer {
  return {
    async send(message) {
      logger.log("info", "mail", { to: message.to, subject: message.subject, text: message.text });
    },
  };
}
