import type { Person } from "./booking-mails.ts";
import type { MailDocument } from "./render.ts";

/** To an account's owner who asked to choose a new password: a single-use link. */
export function passwordReset(p: { you: Person; url: string; validMinutes: number }): MailDocument {
  return {
    subject: "Reset your stayedge password",
    greeting: `Hello ${p.you.name},`,
    paragraphs: [
      `To choose a new password, open the link below. It works once, for ${p.validMinutes} minutes.`,
      "If you did not ask for it, ignore this message: your password stays as it is.",
    ],
    action: { label: "Choose a new password", url: p.url },
  };
}

/** To a review's author: an administrator hid it, and why. */
export function reviewHidden(p: { you: Person; reason: string }): MailDocument {
  return {
    subject: "Your stayedge review was hidden",
    greeting: `Hello ${p.you.name},`,
    paragraphs: ["An administrator hid your review of a stay. It no longer shows to anyone but you."],
    quotes: [{ from: "The reason given", text: p.reason }],
  };
}
