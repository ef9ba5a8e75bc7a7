/** Job topics: outbox messages are handed to the jobs port under these names. */
export const topics = {
  drainOutbox: "outbox.drain",
  sendMail: "mail.send",
} as const;
