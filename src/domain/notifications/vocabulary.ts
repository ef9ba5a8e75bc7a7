/** The numbers notifications are sent by. */

/**
 * New messages are mailed at most once per conversation and recipient per window: each message
 * asks for a mail at the end of the window (of the clock's quarter hours) it was sent in, and that
 * mail summarises what is still unread then, or is not sent.
 */
export const MESSAGE_MAIL_WINDOW_MINUTES = 15;

/** How long before a stay's reviews close each side that has not reviewed is reminded, once. */
export const REVIEW_REMINDER_DAYS = 3;

/** At most this many unread messages are quoted in one mail (it says how many there are). */
export const DIGEST_MAX_MESSAGES = 10;
