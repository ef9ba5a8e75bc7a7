/** The closed lists bookings are described with (the database columns and the API share them). */
export const bookingStatuses = [
  "requested",
  "pending_payment",
  "confirmed",
  "completed",
  "cancelled",
  "declined",
  "expired",
] as const;

export type BookingStatus = (typeof bookingStatuses)[number];

/** The states in which a booking holds its dates: no other booking or block may overlap them. */
export const dateHoldingStatuses = [
  "requested",
  "pending_payment",
  "confirmed",
  "completed",
] as const satisfies readonly BookingStatus[];

export const holdsDates = (status: BookingStatus) =>
  (dateHoldingStatuses as readonly BookingStatus[]).includes(status);

/** The states in which a booking ended without a stay: its dates went back (and any payment too). */
export const endedStatuses: readonly BookingStatus[] = bookingStatuses.filter(
  (status) => !holdsDates(status),
);

export const bookingParties = ["guest", "host", "admin", "system"] as const;
export type BookingParty = (typeof bookingParties)[number];

/** Longest stay, and farthest a calendar read reaches, in days. */
export const MAX_STAY_NIGHTS = 1095;
export const MAX_CALENDAR_DAYS = 366;
