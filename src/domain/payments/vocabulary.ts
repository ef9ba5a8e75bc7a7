/** The closed lists payments are described with (the database columns and the API share them). */

/** A Stripe PaymentIntent's status, as Stripe names it. */
export const intentStatuses = [
  "requires_payment_method",
  "requires_confirmation",
  "requires_action",
  "processing",
  "requires_capture",
  "succeeded",
  "canceled",
] as const;
export type IntentStatus = (typeof intentStatuses)[number];

/** The intent still waits for the guest's card. */
export const awaitingCardStatuses = [
  "requires_payment_method",
  "requires_confirmation",
  "requires_action",
] as const satisfies readonly IntentStatus[];

/** The card is not charged yet: the intent can still be released (cancelled). */
export const uncapturedStatuses = [
  ...awaitingCardStatuses,
  "requires_capture",
] as const satisfies readonly IntentStatus[];

export const awaitsPayment = (status: IntentStatus) =>
  (awaitingCardStatuses as readonly IntentStatus[]).includes(status);
export const isUncaptured = (status: IntentStatus) =>
  (uncapturedStatuses as readonly IntentStatus[]).includes(status);

/** Instant book charges at once; a request to book is authorised, and captured when accepted. */
export const captureMethods = ["automatic", "manual"] as const;
export type CaptureMethod = (typeof captureMethods)[number];

/** Why money goes back: a cancellation's policy, a payment that came after its booking ended, or Stripe's dashboard. */
export const refundCauses = ["cancellation", "unconfirmed_payment", "external"] as const;
export type RefundCause = (typeof refundCauses)[number];

/** `pending` until Stripe says the refund succeeded; `failed` ones are tried again. */
export const refundStatuses = ["pending", "succeeded", "failed"] as const;
export type RefundStatus = (typeof refundStatuses)[number];

/**
 * `scheduled` until its release time (24 hours after check-in), `waiting_for_account` when it is
 * due but the host has no payouts-enabled account, `paid` once transferred, `cancelled` when
 * nothing is left to pay.
 */
export const payoutStatuses = ["scheduled", "waiting_for_account", "paid", "cancelled"] as const;
export type PayoutStatus = (typeof payoutStatuses)[number];

/** What a ledger entry records: money in from a guest, back to a guest, out to a host. */
export const movements = ["charge", "refund", "payout"] as const;
export type Movement = (typeof movements)[number];

/**
 * Ledger accounts: the platform's Stripe balance, the platform's own revenue (guest and host fees,
 * taxes), money that does not match its booking (`suspense`, for an admin), and what is owed to
 * each host (`host:<userId>`).
 */
export const ledgerAccounts = {
  stripe: "stripe",
  platform: "platform",
  suspense: "suspense",
  host: (userId: string) => `host:${userId}`,
} as const;
