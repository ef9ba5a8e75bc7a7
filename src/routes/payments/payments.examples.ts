import type { z } from "@hono/zod-openapi";
import type {
  onboardingLinkSchema,
  Payment,
  PaymentStart,
  Payout,
} from "../../domain/payments/payment-schemas.ts";
import { exampleIds } from "../example-ids.ts";
import type { paymentIssuesSchema, payoutPageSchema, webhookReceiptSchema } from "./payments.schemas.ts";

/**
 * The reference's examples of payments: the money of the booking of `bookings.examples.ts` (a
 * request to book the demo loft for 461.70 EUR, authorised at once, captured when the host accepts).
 */

const intentId = "pi_3QeXampleK2f8Lw0q1Z9bR4tY";

/** What the guest pays with: a request to book is authorised now (`manual`), charged on acceptance. */
export const paymentStartExample: PaymentStart = {
  bookingId: exampleIds.booking,
  amount: 46170,
  currency: "EUR",
  intent: {
    id: intentId,
    status: "requires_payment_method",
    captureMethod: "manual",
    clientSecret: `${intentId}_secret_Vb7nE2xQ0pLk4sH9dW3mJ6cA`,
  },
  holdExpiresAt: "2027-02-21T09:14:03.512Z",
  simulated: false,
};

/** The host's share, transferred 24 hours after check-in (15:00 in Paris on 2027-03-12). */
export const payoutExample: Payout = {
  bookingId: exampleIds.booking,
  amount: 39285,
  currency: "EUR",
  status: "scheduled",
  releaseAt: "2027-03-13T14:00:00.000Z",
  paidAt: null,
  transferId: null,
};

/** As its host sees it once accepted: charged in full, the platform's fees, the payout to come. */
export const paymentExample: Payment = {
  bookingId: exampleIds.booking,
  simulated: false,
  amount: 46170,
  currency: "EUR",
  intent: { id: intentId, status: "succeeded", captureMethod: "manual", clientSecret: null },
  charged: 46170,
  refunded: 0,
  fees: 6885,
  flag: null,
  refunds: [],
  payout: payoutExample,
};

/** As the guest sees it after the simulated card: authorised, to be captured when the host accepts. */
export const simulatedPaymentExample: Payment = {
  bookingId: exampleIds.booking,
  simulated: true,
  amount: 46170,
  currency: "EUR",
  intent: { id: intentId, status: "requires_capture", captureMethod: "manual", clientSecret: null },
  charged: 0,
  refunded: 0,
  fees: null,
  flag: null,
  refunds: [],
  payout: null,
};

export const onboardingLinkExample: z.output<typeof onboardingLinkSchema> = {
  url: "https://connect.stripe.com/setup/e/acct_1QeXampleH0stP4y/Xq7LmN2pR5sT",
  expiresAt: "2027-01-18T16:25:41.000Z",
  account: { connected: true, detailsSubmitted: false, payoutsEnabled: false },
  simulated: false,
};

export const payoutPageExample: z.output<typeof payoutPageSchema> = {
  items: [
    {
      ...payoutExample,
      status: "paid",
      paidAt: "2027-03-13T14:00:07.481Z",
      transferId: "tr_3QeXampleT7nR2vK9pL4wZ1",
    },
  ],
  nextCursor: null,
  account: { connected: true, detailsSubmitted: true, payoutsEnabled: true },
  balance: [{ currency: "EUR", owed: 0 }],
};

export const paymentIssuesExample: z.output<typeof paymentIssuesSchema> = {
  flagged: [
    {
      bookingId: "019b0b7e-52a1-7c3d-9e4f-6a7b8c9d0e1f",
      intentId: "pi_3QeXampleM1sM4tchQ8rT2",
      amount: 61560,
      currency: "EUR",
      status: "succeeded",
      flag: "Stripe's intent is for 55000; the booking for 61560.",
      updatedAt: "2027-02-24T17:48:30.264Z",
    },
  ],
  refunds: [
    {
      bookingId: exampleIds.booking,
      id: "019b5a3e-1d5f-7a60-8b71-c2d3e4f5a6b7",
      cause: "cancellation",
      amount: 46170,
      status: "failed",
      attempts: 2,
      lastError: "Stripe could not refund the payment",
      createdAt: "2027-03-02T10:27:55.930Z",
      updatedAt: "2027-03-02T10:42:01.775Z",
    },
  ],
};

export const webhookReceiptExample: z.output<typeof webhookReceiptSchema> = {
  received: true,
  eventId: "evt_1QeXample",
  applied: true,
};
