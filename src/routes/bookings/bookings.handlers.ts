import type { RouteHandler } from "@hono/zod-openapi";
import { acceptBooking } from "../../domain/bookings/accept-booking.ts";
import type { Booking } from "../../domain/bookings/booking-schemas.ts";
import { cancelBooking } from "../../domain/bookings/cancel-booking.ts";
import { createBooking } from "../../domain/bookings/create-booking.ts";
import { declineBooking } from "../../domain/bookings/decline-booking.ts";
import { getBooking } from "../../domain/bookings/get-booking.ts";
import { listBookings } from "../../domain/bookings/list-bookings.ts";
import { quoteStay } from "../../domain/bookings/quote-stay.ts";
import type { PaymentStart } from "../../domain/payments/payment-schemas.ts";
import { startPaymentAfter } from "../../domain/payments/start-payment.ts";
import { domainContext } from "../../http/context.ts";
import { decodeNewestFirst, encodeNewestFirst } from "../../http/cursor.ts";
import { amendAnswer, inTransaction } from "../../http/middleware/idempotency.ts";
import type { AppEnv } from "../../http/types.ts";
import type * as routes from "./bookings.routes.ts";

export const quoteHandler: RouteHandler<typeof routes.quoteBooking, AppEnv> = async (c) =>
  c.json(await quoteStay({ ctx: domainContext(c), input: c.req.valid("json") }), 200);

/** The answer to a new booking, which its Idempotency-Key replays. */
const created = (booking: Booking, payment: PaymentStart | null = null) => ({
  status: 201 as const,
  headers: { Location: `/v1/bookings/${booking.id}` },
  body: { ...booking, payment },
});

export const createHandler: RouteHandler<typeof routes.createBooking, AppEnv> = async (c) => {
  const ctx = domainContext(c);
  const booking = await createBooking({
    ctx,
    input: c.req.valid("json"),
    beforeCommit: inTransaction(c, (booking: Booking) => created(booking)),
  });
  const payment = await startPaymentAfter(ctx, booking.id);
  const answer = created(booking, payment);
  if (payment) await amendAnswer(c, answer);
  return c.json(answer.body, answer.status, answer.headers);
};

export const getHandler: RouteHandler<typeof routes.getBooking, AppEnv> = async (c) =>
  c.json(await getBooking({ ctx: domainContext(c), input: c.req.valid("param") }), 200);

export const acceptHandler: RouteHandler<typeof routes.acceptBooking, AppEnv> = async (c) =>
  c.json(await acceptBooking({ ctx: domainContext(c), input: c.req.valid("param") }), 200);

export const declineHandler: RouteHandler<typeof routes.declineBooking, AppEnv> = async (c) =>
  c.json(
    await declineBooking({
      ctx: domainContext(c),
      input: { ...c.req.valid("param"), ...c.req.valid("json") },
    }),
    200,
  );

export const cancelHandler: RouteHandler<typeof routes.cancelBooking, AppEnv> = async (c) =>
  c.json(
    await cancelBooking({
      ctx: domainContext(c),
      input: { ...c.req.valid("param"), ...c.req.valid("json") },
    }),
    200,
  );

export const listHandler: RouteHandler<typeof routes.listBookings, AppEnv> = async (c) => {
  const { cursor, ...filter } = c.req.valid("query");
  const page = await listBookings({
    ctx: domainContext(c),
    input: { ...filter, after: decodeNewestFirst(cursor) },
  });
  return c.json({ items: page.items, nextCursor: encodeNewestFirst(page.next) }, 200);
};
