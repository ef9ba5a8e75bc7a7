/** The closed lists reviews are described with (the database columns and the API share them). */

/** Who wrote a review: the guest, about the stay (and its host), or the host, about the guest. */
export const reviewSides = ["guest", "host"] as const;
export type ReviewSide = (typeof reviewSides)[number];

/**
 * `pending` until both sides have reviewed or the window closes (hidden from everyone but its
 * author meanwhile), then `published`; `hidden` by an admin.
 */
export const reviewStatuses = ["pending", "published", "hidden"] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];

/** What a guest rates besides the stay overall, each 1–5 (Airbnb's categories). */
export const reviewCategories = [
  "cleanliness",
  "accuracy",
  "checkIn",
  "communication",
  "location",
  "value",
] as const;
export type ReviewCategory = (typeof reviewCategories)[number];

/** How long after check-out (the listing's wall clock) both sides may review. */
export const REVIEW_WINDOW_DAYS = 14;
export const COMMENT_MAX_CHARS = 1000;
export const PRIVATE_NOTE_MAX_CHARS = 1000;
export const REPLY_MAX_CHARS = 500;
