import { z } from "zod";
import { documentedEnum } from "../documented-enum.ts";
import { currencyCode } from "../listings/codes.ts";
import {
  captureMethods,
  intentStatuses,
  payoutStatuses,
  refundCauses,
  refundStatuses,
} from "./vocabulary.ts";

/** Payments and payouts, described once: the API's answers, and so OpenAPI and the TypeScript types. */

const minor = z.int().min(0);
const instant = z.iso.datetime();

const intentStatusSchema = documentedEnum(
  intentStatuses,
  "PaymentIntentStatus",
  "The PaymentIntent's status, as Stripe names it.",
  {
    requires_payment_method: "waiting for the guest's card",
    requires_confirmation: "a card is attached; Stripe.js confirms it",
    requires_action: "the guest's bank asks for authentication (3-D Secure)",
    processing: "Stripe is taking the money",
    requires_capture: "authorised (a request to book): captured when the host accepts, released otherwise",
    succeeded: "the money is taken",
    canceled: "released or abandoned: nothing is taken",
  },
);

const refundCauseSchema = documentedEnum(refundCauses, "RefundCause", "Why money goes back to a guest.", {
  cancellation: "a cancellation: what the policy refunds",
  unconfirmed_payment: "a payment that came after its hold ran out or its booking ended: all of it",
  external: "a refund made outside stayedge, in Stripe's dashboard",
});

const refundStatusSchema = documentedEnum(refundStatuses, "RefundStatus", "Where a refund is.", {
  pending: "asked of Stripe, not through yet",
  succeeded: "Stripe refunded it",
  failed: "Stripe refused; the tick tries again, backing off",
});

const payoutStatusSchema = documentedEnum(payoutStatuses, "PayoutStatus", "Where a host's payout is.", {
  scheduled: "waits for its release time, 24 hours after check-in",
  waiting_for_account: "due, but the host has no payouts-enabled Stripe account yet",
  paid: "transferred to the host's Stripe account",
  cancelled: "nothing is left to pay (the booking was cancelled with a full refund)",
});

export const paymentIntentSchema = z
  .object({
    id: z.string().meta({ example: "pi_3QeXample" }),
    status: intentStatusSchema,
    captureMethod: z.enum(captureMethods).meta({
      description:
        "`automatic` for instant book; `manual` for a request (authorised now, captured when the host accepts)",
    }),
    clientSecret: z.string().nullable().meta({
      description: "For Stripe.js to confirm the payment: shown to the guest while the intent awaits payment",
    }),
  })
  .meta({ id: "PaymentIntent", description: "The Stripe PaymentIntent of a booking, as a client needs it." });

/** What a client needs to pay for a booking. */
export const paymentStartSchema = z
  .object({
    bookingId: z.uuid(),
    amount: minor,
    currency: currencyCode,
    intent: paymentIntentSchema,
    holdExpiresAt: instant.nullable().meta({ description: "Pay before this, or the dates are released" }),
    simulated: z
      .boolean()
      .meta({ description: "True when no real Stripe account is configured: no money moves" }),
  })
  .meta({ id: "PaymentStart", description: "What a client needs to pay for a booking with Stripe.js." });

export type PaymentStart = z.output<typeof paymentStartSchema>;

export const refundSchema = z
  .object({
    id: z.string(),
    cause: refundCauseSchema,
    amount: minor,
    status: refundStatusSchema,
    attempts: z.int().min(0).meta({ description: "Attempts Stripe refused so far; the tick tries again" }),
    lastError: z.string().nullable(),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: "Refund", description: "Money going back to a guest through Stripe, and its state." });

export const payoutSchema = z
  .object({
    bookingId: z.uuid(),
    amount: minor.meta({
      description: "Transferred once `paid`; until then what is owed for the booking now",
    }),
    currency: currencyCode,
    status: payoutStatusSchema,
    releaseAt: instant.meta({ description: "When it is transferred: 24 hours after check-in" }),
    paidAt: instant.nullable(),
    transferId: z.string().nullable(),
  })
  .meta({
    id: "Payout",
    description: "A host's share of a booking: when it is released, how much, and whether it was paid.",
  });

export type Payout = z.output<typeof payoutSchema>;

export const paymentSchema = z
  .object({
    bookingId: z.uuid(),
    simulated: z.boolean(),
    amount: minor.meta({ description: "What the booking costs the guest (the quote's total)" }),
    currency: currencyCode,
    intent: paymentIntentSchema.nullable().meta({ description: "Null until the payment is started" }),
    charged: minor.meta({ description: "Captured from the guest" }),
    refunded: minor,
    fees: minor
      .nullable()
      .meta({ description: "The platform's part of what was kept (host and admin only)" }),
    flag: z.string().nullable().meta({
      description:
        "Why an admin must look (Stripe's amount or currency differs from the booking); admins only",
    }),
    refunds: z.array(refundSchema),
    payout: payoutSchema.nullable().meta({ description: "The host's share (host and admin only)" }),
  })
  .meta({
    id: "Payment",
    description:
      "A booking's money: its intent, what was charged and refunded, refunds, fees and the host's payout.",
  });

export type Payment = z.output<typeof paymentSchema>;

export const payoutAccountSchema = z
  .object({
    connected: z.boolean(),
    detailsSubmitted: z.boolean(),
    payoutsEnabled: z.boolean(),
  })
  .meta({ id: "PayoutAccount", description: "A host's Stripe connected account, as payouts need it." });

export const onboardingLinkSchema = z
  .object({
    url: z.url().meta({ description: "Stripe's onboarding for your Express account: open it in a browser" }),
    expiresAt: instant,
    account: payoutAccountSchema,
    simulated: z.boolean(),
  })
  .meta({
    id: "OnboardingLink",
    description: "Stripe's onboarding link for a host's Express account, and the account's state.",
  });

export const balanceSchema = z
  .object({ currency: currencyCode, owed: minor })
  .meta({ id: "PayoutBalance", description: "What is owed to a host and not paid yet, in one currency." });
