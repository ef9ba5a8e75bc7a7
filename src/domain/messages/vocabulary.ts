import type { BookingStatus } from "../bookings/vocabulary.ts";

/** The numbers and lists messages are described with (the database checks and the API share them). */

/** A message's length, counted in Unicode code points (an emoji is one, a flag two), not UTF-16 units. */
export const MESSAGE_MAX_CHARS = 2000;

/** How much of a conversation's newest message its list entry shows, in code points. */
export const PREVIEW_CHARS = 100;

/**
 * While no booking of the guest at the listing is in one of these states, e-mail addresses and
 * phone numbers are hidden from the other side (Airbnb's rule): a confirmed stay, or one that
 * took place. A cancelled one hides them again: a stay that will not happen is no reason to share
 * them, and showing them after it would let the two settle a new one off the platform, which is
 * what the rule is for. Nothing stored changes, so a later confirmed booking shows them again.
 */
export const contactSharingStatuses = ["confirmed", "completed"] as const satisfies readonly BookingStatus[];
