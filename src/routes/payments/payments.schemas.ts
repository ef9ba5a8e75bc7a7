import { z } from "@hono/zod-openapi";
import {
  balanceSchema,
  payoutAccountSchema,
  payoutSchema,
  refundSchema,
} from "../../domain/payments/payment-schemas.ts";
import { cursorQuery, pageSchema } from "../../http/cursor.ts";

export const simulateBody = z
  .object({
    outcome: z.enum(["succeed", "fail"]).openapi({
      description: "`succeed`: the card pays (Stripe's test card 4242…); `fail`: it is declined",
    }),
  })
  .strict()
  .openapi("SimulatedPayment", { description: "What the simulated card does: pay or be declined." });

export const connectBody = z
  .object({
    returnUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .openapi({
        description: "Where Stripe sends the host when onboarding is done (default: PUBLIC_URL)",
      }),
    refreshUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .openapi({
        description: "Where Stripe sends the host when the link expired (default: PUBLIC_URL)",
      }),
  })
  .strict()
  .openapi("PayoutConnection", { description: "Where Stripe sends the host after onboarding." });

export const payoutListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorQuery,
});

export const payoutPageSchema = pageSchema(payoutSchema, "PayoutPage")
  .extend({ account: payoutAccountSchema, balance: z.array(balanceSchema) })
  .openapi("PayoutList", {
    description: "A page of your payouts, with your account's state and what is owed to you.",
  });

export const paymentIssuesSchema = z
  .object({
    flagged: z.array(
      z.object({
        bookingId: z.uuid(),
        intentId: z.string(),
        amount: z.int(),
        currency: z.string(),
        status: z.string(),
        flag: z.string(),
        updatedAt: z.iso.datetime(),
      }),
    ),
    refunds: z.array(refundSchema.extend({ bookingId: z.uuid() })),
  })
  .openapi("PaymentIssues", { description: "Payments and refunds an admin must look at." });

export const webhookReceiptSchema = z
  .object({
    received: z.literal(true),
    eventId: z.string(),
    applied: z.boolean().openapi({ description: "False for an event id applied before: nothing changed" }),
  })
  .openapi("WebhookReceipt", {
    description: "Stripe's event was received; `applied` says whether it changed anything.",
  });

/** What Stripe posts; verified against its signature over the raw bytes, not against this schema. */
export const stripeEventBody = z
  .object({ id: z.string(), object: z.literal("event"), type: z.string() })
  .loose()
  .openapi("StripeEvent", {
    description: "An event Stripe posts to the webhook, verified by its signature.",
  });
