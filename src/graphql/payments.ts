import { getPayment } from "../domain/payments/get-payment.ts";
import { paymentSchema } from "../domain/payments/payment-schemas.ts";
import { Booking } from "./bookings.ts";
import { builder } from "./builder.ts";
import { costOf } from "./cost.ts";
import { zodObject } from "./zod-types.ts";

const Payment = zodObject(paymentSchema);

builder.objectField(Booking, "payment", (t) =>
  t.field({
    type: Payment,
    nullable: true,
    description:
      "Its money: what was charged and refunded, the refunds; for the host and admins also the fees and the payout.",
    // Several statements per booking, and for a guest who has still to pay, a call to Stripe.
    extensions: costOf(20),
    resolve: (booking, _args, { domain }) => getPayment({ ctx: domain, input: { bookingId: booking.id } }),
  }),
);
