import { type Person, type StayFacts, stayDetails } from "./booking-mails.ts";
import { formatInstant } from "./format.ts";
import type { MailDocument } from "./render.ts";

const hello = (person: Person) => `Hello ${person.name},`;

/** The other side, as the one reviewing calls them. */
const whom = (side: "guest" | "host", other: Person, stay: StayFacts) =>
  side === "guest"
    ? `your stay at ${stay.listingTitle}`
    : `${other.name}, your guest at ${stay.listingTitle}`;

const hidden =
  "Reviews stay hidden until you have both written yours, or the window closes: neither of you reads the other's first.";

/** A side asked to review a stay (`other` the other side) while the window is open, until `closes`. */
export interface ReviewInvitation {
  side: "guest" | "host";
  you: Person;
  other: Person;
  stay: StayFacts;
  closes: Date;
  url: string;
}

/** To each side, once the stay is over: reviews are open until `closes`. */
export function reviewWindowOpen(p: ReviewInvitation): MailDocument {
  return {
    subject:
      p.side === "guest"
        ? `How was your stay at ${p.stay.listingTitle}?`
        : `How was hosting ${p.other.name}?`,
    greeting: hello(p.you),
    paragraphs: [
      `Your stay is over: you can review ${whom(p.side, p.other, p.stay)} until ${formatInstant(p.closes, p.stay.timezone)}.`,
      hidden,
    ],
    details: stayDetails(p.stay, p.side),
    action: { label: "Write your review", url: p.url },
  };
}

/** To a side that has not reviewed yet, a few days before the window closes. */
export function reviewReminder(p: ReviewInvitation): MailDocument {
  return {
    subject: `A few days left to review ${p.side === "guest" ? p.stay.listingTitle : p.other.name}`,
    greeting: hello(p.you),
    paragraphs: [
      `You can review ${whom(p.side, p.other, p.stay)} until ${formatInstant(p.closes, p.stay.timezone)}. After that, reviews of this stay close for good.`,
      hidden,
    ],
    action: { label: "Write your review", url: p.url },
  };
}

/** To whom a review is about, once it is public: the guest's review of a stay, or the host's of a guest. */
export function reviewPublished(p: {
  you: Person;
  author: Person;
  /** Who wrote it. */
  side: "guest" | "host";
  listingTitle: string;
  rating: number;
  comment: string;
  url: string;
}): MailDocument {
  const about =
    p.side === "guest" ? `their stay at ${p.listingTitle}` : `you, as their guest at ${p.listingTitle}`;
  return {
    subject: `${p.author.name} reviewed ${p.side === "guest" ? p.listingTitle : "you"}`,
    greeting: hello(p.you),
    paragraphs: [`${p.author.name}'s review of ${about} is now public.`],
    details: [
      { label: "Rating", value: `${"★".repeat(p.rating)}${"☆".repeat(5 - p.rating)} (${p.rating}/5)` },
    ],
    quotes: [{ from: p.author.name, text: p.comment }],
    action: { label: p.side === "guest" ? "Read it and reply" : "Read it", url: p.url },
  };
}
