/** Job topics: outbox messages are handed to the jobs port under these names. */
export const topics = {
  drainOutbox: "outbox.drain",
  sendMail: "mail.send",
  /** A booking changed state; payload `{ bookingId, listingId, from, to, at }`. */
  bookingChanged: "booking.changed",
  /**
   * A message was sent; payload `{ conversationId, messageId, listingId, senderId, recipientId, at }`
   * (no text: whoever notifies reads the message, and shows it as its recipient may see it).
   */
  messageSent: "message.sent",
  /** A review became public; payload `{ reviewId, bookingId, side, at }`. */
  reviewPublished: "review.published",
  /**
   * The e-mail about a conversation's unread messages is due (end of a 15-minute window); payload
   * `{ conversationId, recipientId, due }`. Outbox only, written with `availableAt` = `due`.
   */
  messagesMailDue: "notifications.messages-due",
  /** A stay's review reminder is due; payload `{ bookingId }`. Outbox only, written for later. */
  reviewReminderDue: "notifications.review-reminder-due",
  /** Move a listing's bookings on now (a hold ran out); payload `{ listingId }`. */
  settleBookings: "bookings.settle",
  /** Fetch an imported calendar and apply its dates; payload `{ importId }`. */
  syncCalendarImport: "calendar.import.sync",
} as const;
