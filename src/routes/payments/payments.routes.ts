import { createRoute, z } from "@hono/zod-openapi";
import {
  onboardingLinkSchema,
  paymentSchema,
  paymentStartSchema,
} from "../../domain/payments/payment-schemas.ts";
import { jsonBody, jsonContent } from "../../http/json.ts";
import { signedIn } from "../../http/middleware/auth.ts";
import { rawBody } from "../../http/middleware/request.ts";
import { authResponses, errorResponses, problemResponseFor } from "../../http/problem.ts";
import { bookingIdParams } from "../bookings/bookings.schemas.ts";
import {
  onboardingLinkExample,
  paymentExample,
  paymentIssuesExample,
  paymentStartExample,
  payoutPageExample,
  simulatedPaymentExample,
  webhookReceiptExample,
} from "./payments.examples.ts";
import {
  connectBody,
  paymentIssuesSchema,
  payoutListQuery,
  payoutPageSchema,
  simulateBody,
  stripeEventBody,
  webhookReceiptSchema,
} from "./payments.schemas.ts";

const notFound = {
  404: problemResponseFor("No such booking, or not yours to see", { NOT_FOUND: "No booking with this id." }),
};
/** The 403 of `authResponses`, with what this operation says when it refuses. */
const onlyTheGuest = {
  403: problemResponseFor(authResponses[403].description, {
    FORBIDDEN: "Only the booking's guest pays for it.",
  }),
};

export const startPayment = createRoute({
  method: "post",
  path: "/bookings/{id}/payment",
  operationId: "payments.start",
  tags: ["Payments"],
  summary: "Pay for a booking",
  description:
    "The booking's PaymentIntent, for its quoted total: created on the first call, the same one on " +
    "every later call (safe to retry). Confirm it with Stripe.js and `clientSecret` before " +
    "`holdExpiresAt`. A request to book is only authorised now, and charged when the host accepts. " +
    "For the booking's guest, while it holds its dates.",
  ...signedIn,
  request: { params: bookingIdParams },
  responses: {
    200: {
      description: "What the client needs to pay",
      content: jsonContent(paymentStartSchema, paymentStartExample),
    },
    ...authResponses,
    ...onlyTheGuest,
    ...notFound,
    409: problemResponseFor(
      "The booking is past paying for (`INVALID_STATE`), or Stripe refused (`PAYMENT_FAILED`)",
      {
        INVALID_STATE: "A confirmed booking cannot be paid for.",
        PAYMENT_FAILED:
          "Stripe refused to start the payment: Your account cannot currently make live charges.",
      },
    ),
    ...errorResponses,
  },
});

export const getPayment = createRoute({
  method: "get",
  path: "/bookings/{id}/payment",
  operationId: "payments.get",
  tags: ["Payments"],
  summary: "A booking's money",
  description:
    "What was charged and refunded, the refunds and their state; for the host and admins also the " +
    "platform's fees and the host's payout. For the guest, the listing's host and admins.",
  ...signedIn,
  request: { params: bookingIdParams },
  responses: {
    200: { description: "The payment", content: jsonContent(paymentSchema, paymentExample) },
    ...authResponses,
    ...notFound,
    ...errorResponses,
  },
});

export const simulatePayment = createRoute({
  method: "post",
  path: "/bookings/{id}/payment/simulate",
  operationId: "payments.simulate",
  tags: ["Payments"],
  summary: "Pay with a simulated card (simulated payments only)",
  description:
    "Only while payments are simulated (no `STRIPE_SECRET_KEY`, never in production): the guest's " +
    "card pays or is declined as Stripe's test cards would, and the booking moves as Stripe's " +
    "webhooks would move it. Answers the payment once they have. Anywhere else: 404.",
  ...signedIn,
  request: { params: bookingIdParams, body: jsonBody(simulateBody, { outcome: "succeed" }) },
  responses: {
    200: {
      description: "The payment after the simulated card",
      content: jsonContent(paymentSchema, simulatedPaymentExample),
    },
    ...authResponses,
    ...onlyTheGuest,
    404: problemResponseFor("No such booking, or payments are not simulated here", {
      NOT_FOUND: "Payments are not simulated here: pay with Stripe.js and the client secret.",
    }),
    409: problemResponseFor("The payment was not started (`INVALID_STATE`)", {
      INVALID_STATE: "The payment was not started: POST /v1/bookings/{id}/payment first.",
    }),
    ...errorResponses,
  },
});

export const connectPayouts = createRoute({
  method: "post",
  path: "/payouts/connect",
  operationId: "payouts.connect",
  tags: ["Payments"],
  summary: "Connect a Stripe account to be paid",
  description:
    "Creates your Stripe Express account on the first call and answers a fresh onboarding link " +
    "(it lives a few minutes: call again for a new one). Your share of each stay is transferred to " +
    "the account 24 hours after check-in; until the account can receive payouts, it accrues.",
  ...signedIn,
  request: {
    body: jsonBody(connectBody, { returnUrl: "https://example.com/host/payouts" }, { required: false }),
  },
  responses: {
    200: {
      description: "The onboarding link",
      content: jsonContent(onboardingLinkSchema, onboardingLinkExample),
    },
    ...authResponses,
    ...errorResponses,
  },
});

export const listPayouts = createRoute({
  method: "get",
  path: "/users/me/payouts",
  operationId: "payouts.listMine",
  tags: ["Payments"],
  summary: "Your payouts as a host",
  description: "Newest first, with your account's state and what is owed to you and not paid yet.",
  ...signedIn,
  request: { query: payoutListQuery },
  responses: {
    200: { description: "A page of payouts", content: jsonContent(payoutPageSchema, payoutPageExample) },
    ...authResponses,
    ...errorResponses,
  },
});

export const listPaymentIssues = createRoute({
  method: "get",
  path: "/admin/payments/issues",
  operationId: "payments.listIssues",
  tags: ["Admin"],
  summary: "Payments an admin must look at",
  description:
    "Payments whose Stripe amount or currency does not match their booking (never confirmed), " +
    "authorisations Stripe canceled before they were captured (nothing charged), and refunds not " +
    "through yet (they are retried), with their last error. Admins only.",
  ...signedIn,
  responses: {
    200: {
      description: "What needs an admin",
      content: jsonContent(paymentIssuesSchema, paymentIssuesExample),
    },
    ...authResponses,
    ...errorResponses,
  },
});

export const stripeWebhook = createRoute({
  method: "post",
  path: "/webhooks/stripe",
  operationId: "webhooks.stripe",
  tags: ["Payments"],
  summary: "Stripe's events",
  description:
    "For Stripe only: point the account's webhook endpoint here. The body is verified against " +
    "`Stripe-Signature` over its exact bytes (300 s tolerance); each event id is applied once.",
  security: [],
  middleware: [rawBody],
  request: {
    // Empty when missing, so that the 400 names it where it belongs: `header.stripe-signature`.
    headers: z.object({ "stripe-signature": z.string().default("") }),
    body: jsonBody(stripeEventBody, {
      id: "evt_1QeXample",
      object: "event",
      type: "payment_intent.succeeded",
    }),
  },
  responses: {
    200: {
      description: "Received (or received before)",
      content: jsonContent(webhookReceiptSchema, webhookReceiptExample),
    },
    ...errorResponses,
    400: problemResponseFor("Missing, wrong or stale signature (`INVALID_SIGNATURE`), or not an event", {
      INVALID_SIGNATURE: {
        detail: "The Stripe-Signature header does not match the body, or is too old.",
        errors: [
          {
            field: "stripe-signature",
            location: "header.stripe-signature",
            message: "The Stripe-Signature header does not match the body, or is too old.",
          },
        ],
      },
      VALIDATION_FAILED: {
        detail: "The request has 1 invalid field.",
        errors: [{ field: "object", location: "body.object", message: 'Invalid input: expected "event"' }],
      },
      MALFORMED_REQUEST: "Malformed JSON in request body",
    }),
  },
});
