/** Why a date a feed asks to block stays as it is here. */
export const importConflictReasons = ["booked", "blocked", "imported"] as const;
export type ImportConflictReason = (typeof importConflictReasons)[number];

/** Dates `[from, to)` an imported feed marks busy that could not be blocked for it, and why. */
export interface ImportConflict {
  from: string;
  to: string;
  reason: ImportConflictReason;
}

/** How many calendars one listing may import. */
export const MAX_IMPORTS_PER_LISTING = 10;
/** The longest feed URL accepted. */
export const MAX_FEED_URL_LENGTH = 2048;
