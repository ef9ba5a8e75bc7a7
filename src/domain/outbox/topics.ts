/** Job topics: outbox messages are handed to the jobs port under these names. */
export const topics = {
  drainOutbox: "outbox.drain",
  sendMail: "mail.send",
  /** A booking changed state; payload `{ bookingId, listingId, from, to, at }`. */
  bookingChanged: "booking.changed",
  /** Move a listing's bookings on now (a hold ran out); payload `{ listingId }`. */
  settleBookings: "bookings.settle",
} as const;
