import type { Logger, Mailer } from "../ports.ts";

/**
 * Writes each e-mail to the log so a person running the app can follow its link. The only mailer
 * until an e-mail provider is configured. In production the body (it holds single-use links) is
 * left out: logs are read by more people than the mail's recipient.
 */
export function logMailer(logger: Logger, options: { includeBody: boolean }): Mailer {
  return {
    async send(message) {
      const body = options.includeBody ? { text: message.text } : {};
      logger.log("info", "mail", { to: message.to, subject: message.subject, ...body });
    },
  };
}
