import { and, eq } from "drizzle-orm";
import { bookingEvents, payments } from "../../db/schema/index.ts";
import type { BookingStatus } from "../bookings/vocabulary.ts";
import type { DomainContext } from "../context.ts";
import { topics } from "../outbox/topics.ts";
import { PAYMENT_FAILED } from "../payments/apply-intent.ts";
import { links } from "./links.ts";
import { type Recipient, readPeople } from "./people.ts";
import type { NotificationPlan, PlannedMail } from "./queue-mails.ts";
import { reviewWindowOf } from "./review-notifications.ts";
import { readStay, type Stay } from "./stay-facts.ts";
import {
  bookingAccepted,
  bookingCancelled,
  bookingConfirmed,
  bookingDeclined,
  bookingExpired,
  bookingRequested,
  paymentFailed,
} from "./templates/booking-mails.ts";
import { type MailDocument, renderMail } from "./templates/render.ts";
import { reviewWindowOpen } from "./templates/review-mails.ts";
import { REVIEW_REMINDER_DAYS } from "./vocabulary.ts";

/** The `booking.changed` outbox payload. */
export interface BookingChange {
  bookingId: string;
  from: BookingStatus | null;
  to: BookingStatus;
}

/** One side of a booking as a mail to it speaks: to `you`, about `other`. */
interface Addressee {
  side: "guest" | "host";
  you: Recipient;
  other: Recipient;
}

const DAY_MS = 86_400_000;
const none: NotificationPlan = { mails: [] };

/**
 * The e-mails a booking's move to `change.to` sends, written from the booking as it is now: a
 * request (to the host), the host's answer and an expiry (to the guest, a declined card told as
 * such), a confirmation and a cancellation with its refund (to both), and once the stay is over,
 * the review window (to both, with a reminder scheduled before it closes). A request or an
 * acceptance that the booking has moved on from since asks nothing any more, and is not sent.
 */
export async function planBookingMails(
  ctx: DomainContext,
  eventId: string,
  change: BookingChange,
): Promise<NotificationPlan> {
  const stay = await readStay(ctx, change.bookingId);
  if (!stay) return none;
  const { booking, facts } = stay;
  const people = await readPeople(ctx, [booking.guestId, booking.hostId]);
  const guest = people.get(booking.guestId);
  const host = people.get(booking.hostId);
  if (!guest || !host) return none;
  const url = links.booking(ctx.deps.config, booking.id);
  const mail = (to: Recipient, kind: string, document: MailDocument): PlannedMail => ({
    key: `${eventId}:${to.id}:${kind}`,
    message: renderMail(to.email, document),
  });
  const both = (kind: string, document: (to: Addressee) => MailDocument) => [
    mail(guest, kind, document({ side: "guest", you: guest, other: host })),
    mail(host, kind, document({ side: "host", you: host, other: guest })),
  ];

  switch (change.to) {
    case "requested":
      if (booking.status !== "requested" || !booking.holdExpiresAt) return none;
      return {
        mails: [
          mail(
            host,
            "booking-requested",
            bookingRequested({ host, guest, stay: facts, respondBy: booking.holdExpiresAt, url }),
          ),
        ],
      };
    case "pending_payment":
      // An instant booking waits for the payment its guest is making; only an accepted request is news.
      if (change.from !== "requested" || booking.status !== "pending_payment" || !booking.holdExpiresAt)
        return none;
      return {
        mails: [
          mail(
            guest,
            "booking-accepted",
            bookingAccepted({ guest, host, stay: facts, payBy: booking.holdExpiresAt, url }),
          ),
        ],
      };
    case "confirmed": {
      const accepted = change.from === "requested";
      return {
        mails: both("booking-confirmed", (to) => bookingConfirmed({ ...to, stay: facts, accepted, url })),
      };
    }
    case "declined":
      return {
        mails: [
          mail(
            guest,
            "booking-declined",
            bookingDeclined({ guest, host, stay: facts, url: links.search(ctx.deps.config) }),
          ),
        ],
      };
    case "expired": {
      const failure = await paymentFailure(ctx, booking.id);
      if (failure !== undefined) {
        return {
          mails: [mail(guest, "payment-failed", paymentFailed({ guest, stay: facts, failure, url }))],
        };
      }
      const why = change.from === "requested" ? "request" : "payment";
      return { mails: [mail(guest, "booking-expired", bookingExpired({ guest, stay: facts, why, url }))] };
    }
    case "cancelled": {
      const paid =
        change.from === "confirmed" &&
        booking.paymentAuthorizedAt !== null &&
        !(await authorisationLapsed(ctx, booking.id));
      const refund = booking.refundDue ?? 0;
      const { cancelledBy } = booking;
      return {
        mails: both("booking-cancelled", (to) =>
          bookingCancelled({ ...to, stay: facts, cancelledBy, paid, refund, url }),
        ),
      };
    }
    case "completed":
      return reviewsOpen(ctx, stay, both);
  }
}

/**
 * Whether Stripe let the booking's authorisation lapse before it was captured (the payment is
 * canceled and flagged for admins): then nothing was charged.
 */
async function authorisationLapsed(ctx: DomainContext, bookingId: string): Promise<boolean> {
  const [payment] = await ctx.db
    .select({ status: payments.status, flag: payments.flag })
    .from(payments)
    .where(eq(payments.bookingId, bookingId))
    .limit(1);
  return payment?.status === "canceled" && payment.flag !== null;
}

/** Why a booking expired, if it was its card: the provider's words, or null when it gave none. */
async function paymentFailure(ctx: DomainContext, bookingId: string): Promise<string | null | undefined> {
  const [event] = await ctx.db
    .select({ reason: bookingEvents.reason })
    .from(bookingEvents)
    .where(and(eq(bookingEvents.bookingId, bookingId), eq(bookingEvents.toStatus, "expired")))
    .limit(1);
  if (!event?.reason?.startsWith(PAYMENT_FAILED)) return undefined;
  return event.reason.slice(PAYMENT_FAILED.length).replace(/^:\s*/, "") || null;
}

/** The stay is over: both sides may review until the window closes, and hear again before it does. */
async function reviewsOpen(
  ctx: DomainContext,
  stay: Stay,
  both: (kind: string, document: (to: Addressee) => MailDocument) => PlannedMail[],
): Promise<NotificationPlan> {
  const closes = await reviewWindowOf(ctx, stay.booking);
  const now = ctx.deps.clock.now();
  if (closes <= now) return none;
  const url = links.review(ctx.deps.config, stay.booking.id);
  const remindAt = new Date(Math.max(closes.getTime() - REVIEW_REMINDER_DAYS * DAY_MS, now.getTime()));
  return {
    mails: both("review-window-open", (to) => reviewWindowOpen({ ...to, stay: stay.facts, closes, url })),
    later: [
      {
        key: `review-reminder:${stay.booking.id}`,
        topic: topics.reviewReminderDue,
        payload: { bookingId: stay.booking.id },
        at: remindAt,
      },
    ],
  };
}
