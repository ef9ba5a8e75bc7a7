import type { Person } from "./booking-mails.ts";
import { formatInstant } from "./format.ts";
import type { MailDocument } from "./render.ts";

export interface DigestMessage {
  from: Person;
  at: Date;
  /** As the recipient may see it: contact details hidden until a stay is confirmed. */
  text: string;
}

/**
 * To one side of a conversation: what the other wrote that they have not read, newest last.
 * `unread` counts them all; `messages` may show only the latest. Times on the listing's clock.
 */
export function unreadMessages(p: {
  you: Person;
  other: Person;
  listingTitle: string;
  timezone: string;
  unread: number;
  messages: DigestMessage[];
  url: string;
}): MailDocument {
  const count = p.unread === 1 ? "a new message" : `${p.unread} new messages`;
  const shown = p.messages.length;
  return {
    subject: `${p.other.name} sent you ${count} about ${p.listingTitle}`,
    greeting: `Hello ${p.you.name},`,
    paragraphs: [
      `${p.other.name} sent you ${count} about ${p.listingTitle}${shown < p.unread ? ` (the latest ${shown} below)` : ""}.`,
    ],
    quotes: p.messages.map((message) => ({
      from: message.from.name,
      at: formatInstant(message.at, p.timezone),
      text: message.text,
    })),
    action: { label: "Reply", url: p.url },
  };
}
