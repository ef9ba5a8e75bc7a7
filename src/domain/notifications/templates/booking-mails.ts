import type { BookingParty } from "../../bookings/vocabulary.ts";
import { formatDate, formatInstant, formatMoney } from "./format.ts";
import type { MailDocument } from "./render.ts";

/** What every booking e-mail tells about the stay, in the listing's own dates and clock. */
export interface StayFacts {
  bookingId: string;
  listingTitle: string;
  timezone: string;
  checkIn: string;
  checkOut: string;
  checkInTime: string;
  checkOutTime: string;
  nights: number;
  guests: number;
  currency: string;
  /** What the guest pays, minor units. */
  total: number;
  /** What the host is paid, minor units. */
  hostPayout: number;
}

export interface Person {
  name: string;
}

const hello = (person: Person) => `Hello ${person.name},`;

/** The stay's facts for `side`: the guest sees what they pay, the host what they earn. */
export function stayDetails(stay: StayFacts, side: "guest" | "host") {
  const nights = `${stay.nights} night${stay.nights === 1 ? "" : "s"}`;
  const guests = `${stay.guests} guest${stay.guests === 1 ? "" : "s"}`;
  return [
    { label: "Listing", value: stay.listingTitle },
    { label: "Check-in", value: `${formatDate(stay.checkIn)}, from ${stay.checkInTime}` },
    { label: "Check-out", value: `${formatDate(stay.checkOut)}, by ${stay.checkOutTime}` },
    { label: "Stay", value: `${nights}, ${guests}` },
    side === "guest"
      ? { label: "Total", value: formatMoney(stay.total, stay.currency) }
      : { label: "Your payout", value: formatMoney(stay.hostPayout, stay.currency) },
  ];
}

const dates = (stay: StayFacts) => `${formatDate(stay.checkIn)} – ${formatDate(stay.checkOut)}`;

/** To the host: a guest asks to book, and the host has until `respondBy` to answer. */
export function bookingRequested(p: {
  host: Person;
  guest: Person;
  stay: StayFacts;
  respondBy: Date;
  url: string;
}): MailDocument {
  return {
    subject: `Booking request from ${p.guest.name}: ${p.stay.listingTitle}, ${dates(p.stay)}`,
    greeting: hello(p.host),
    paragraphs: [
      `${p.guest.name} asks to stay at ${p.stay.listingTitle}.`,
      `Accept or decline by ${formatInstant(p.respondBy, p.stay.timezone)}; after that the request expires and the dates are free again.`,
    ],
    details: stayDetails(p.stay, "host"),
    action: { label: "Answer the request", url: p.url },
  };
}

/** To the guest: the host accepted, and the guest has until `payBy` to pay. */
export function bookingAccepted(p: {
  guest: Person;
  host: Person;
  stay: StayFacts;
  payBy: Date;
  url: string;
}): MailDocument {
  return {
    subject: `${p.host.name} accepted your request: ${p.stay.listingTitle}`,
    greeting: hello(p.guest),
    paragraphs: [
      `${p.host.name} accepted your request to stay at ${p.stay.listingTitle}.`,
      `Complete your payment by ${formatInstant(p.payBy, p.stay.timezone)} to confirm the booking; until then the dates are held for you.`,
    ],
    details: stayDetails(p.stay, "guest"),
    action: { label: "Pay for your stay", url: p.url },
  };
}

/** To each side: the stay is booked. `accepted`: the host's answer confirmed it just now. */
export function bookingConfirmed(p: {
  side: "guest" | "host";
  you: Person;
  other: Person;
  stay: StayFacts;
  accepted: boolean;
  url: string;
}): MailDocument {
  const guestSays = p.accepted
    ? `${p.other.name} accepted your request: your stay at ${p.stay.listingTitle} is confirmed and paid.`
    : `Your stay at ${p.stay.listingTitle} is confirmed and paid.`;
  const hostSays = `${p.other.name}'s stay at ${p.stay.listingTitle} is confirmed and paid.`;
  return {
    subject: `Booking confirmed: ${p.stay.listingTitle}, ${dates(p.stay)}`,
    greeting: hello(p.you),
    paragraphs: [
      p.side === "guest" ? guestSays : hostSays,
      "You can now see each other's contact details in your conversation.",
    ],
    details: stayDetails(p.stay, p.side),
    action: { label: "See the booking", url: p.url },
  };
}

/** To the guest: the host said no. */
export function bookingDeclined(p: {
  guest: Person;
  host: Person;
  stay: StayFacts;
  url: string;
}): MailDocument {
  return {
    subject: `Your request was declined: ${p.stay.listingTitle}`,
    greeting: hello(p.guest),
    paragraphs: [
      `${p.host.name} cannot host you at ${p.stay.listingTitle} for ${dates(p.stay)}.`,
      "Nothing was charged: any authorisation on your card is released.",
    ],
    details: stayDetails(p.stay, "guest"),
    action: { label: "Find another stay", url: p.url },
  };
}

/** To the guest: the hold ran out, the host not having answered (`request`) or no payment having come. */
export function bookingExpired(p: {
  guest: Person;
  stay: StayFacts;
  why: "request" | "payment";
  url: string;
}): MailDocument {
  const why =
    p.why === "request"
      ? "The host did not answer your request in time, so it expired."
      : "Your payment did not arrive in time, so the booking expired.";
  return {
    subject: `Your booking expired: ${p.stay.listingTitle}`,
    greeting: hello(p.guest),
    paragraphs: [why, "Nothing was charged, and the dates are free again: you may book them anew."],
    details: stayDetails(p.stay, "guest"),
    action: { label: "See the booking", url: p.url },
  };
}

/** To the guest: the card was declined, and the booking ended with it. */
export function paymentFailed(p: {
  guest: Person;
  stay: StayFacts;
  failure: string | null;
  url: string;
}): MailDocument {
  return {
    subject: `Your payment failed: ${p.stay.listingTitle}`,
    greeting: hello(p.guest),
    paragraphs: [
      `Your payment for ${p.stay.listingTitle} did not go through${p.failure ? `: ${p.failure}` : "."}`,
      "The booking has ended and nothing was charged. To stay there, book again with another card.",
    ],
    details: stayDetails(p.stay, "guest"),
    action: { label: "See the booking", url: p.url },
  };
}

const byWhom = (cancelledBy: BookingParty | null, side: "guest" | "host", other: Person) => {
  if (cancelledBy === side) return "You cancelled";
  if (cancelledBy === "guest" || cancelledBy === "host") return `${other.name} cancelled`;
  return "stayedge cancelled";
};

/**
 * To each side: the booking was called off. The guest learns the refund (`refund`, minor units),
 * or that nothing was charged (`paid` false); the host, whether a payout is lost.
 */
export function bookingCancelled(p: {
  side: "guest" | "host";
  you: Person;
  other: Person;
  stay: StayFacts;
  cancelledBy: BookingParty | null;
  paid: boolean;
  refund: number;
  url: string;
}): MailDocument {
  const money = (amount: number) => formatMoney(amount, p.stay.currency);
  const guestMoney = !p.paid
    ? "Nothing was charged."
    : p.refund > 0
      ? `You get ${money(p.refund)} back${p.refund === p.stay.total ? ", the full amount" : ` of the ${money(p.stay.total)} you paid`}: the refund goes to your card within 5–10 business days.`
      : `Under the listing's cancellation policy, the ${money(p.stay.total)} you paid is not refunded.`;
  const hostMoney = !p.paid
    ? "Nothing had been charged."
    : p.refund >= p.stay.total
      ? `The guest is refunded ${money(p.refund)}, the full amount: there is no payout for this stay.`
      : p.refund > 0
        ? `The guest is refunded ${money(p.refund)} of the ${money(p.stay.total)} they paid, under the cancellation policy; your payout is lowered by your share of that refund.`
        : `Under the cancellation policy the guest is not refunded: your payout of ${money(p.stay.hostPayout)} stands.`;
  return {
    subject: `Booking cancelled: ${p.stay.listingTitle}, ${dates(p.stay)}`,
    greeting: hello(p.you),
    paragraphs: [
      `${byWhom(p.cancelledBy, p.side, p.other)} the booking at ${p.stay.listingTitle} for ${dates(p.stay)}. The dates are free again.`,
      p.side === "guest" ? guestMoney : hostMoney,
    ],
    details: [
      ...stayDetails(p.stay, p.side),
      ...(p.side === "guest" && p.paid ? [{ label: "Refund", value: money(p.refund) }] : []),
    ],
    action: { label: "See the booking", url: p.url },
  };
}
