import type { DomainContext } from "../context.ts";
import { topics } from "../outbox/topics.ts";
import { type BookingChange, planBookingMails } from "./booking-notifications.ts";
import {
  type MessageSent,
  type MessagesDue,
  planMessagesMail,
  planUnreadMessagesMail,
} from "./message-notifications.ts";
import { type NotificationPlan, queueNotifications } from "./queue-mails.ts";
import { planReviewPublished, planReviewReminder } from "./review-notifications.ts";

/** The events people hear about by e-mail: the topics `notify` reads. */
export const notifiedTopics: readonly string[] = [
  topics.bookingChanged,
  topics.messageSent,
  topics.messagesMailDue,
  topics.reviewPublished,
  topics.reviewReminderDue,
];

function planFor(
  ctx: DomainContext,
  { topic, eventId, payload }: NotifyInput,
): Promise<NotificationPlan> | NotificationPlan {
  switch (topic) {
    case topics.bookingChanged:
      return planBookingMails(ctx, eventId, payload as BookingChange);
    case topics.messageSent:
      return planMessagesMail(payload as MessageSent, ctx.deps.clock.now());
    case topics.messagesMailDue:
      return planUnreadMessagesMail(ctx, eventId, payload as MessagesDue);
    case topics.reviewPublished:
      return planReviewPublished(ctx, eventId, payload as { reviewId: string });
    case topics.reviewReminderDue:
      return planReviewReminder(ctx, eventId, payload as { bookingId: string });
    default:
      return { mails: [] };
  }
}

export interface NotifyInput {
  topic: string;
  /** The outbox message's id: the same on every delivery of one event. */
  eventId: string;
  payload: unknown;
}

/**
 * Turns one event (an outbox message: its topic, id and payload of ids) into the e-mails it
 * sends, written from the current state of what it names, and queues them (`queueNotifications`):
 * each mail is named `<event id>:<recipient>:<kind>`, so an event delivered twice mails nobody
 * twice. Runs in a job, outside any request; answers how many mails it queued.
 */
export async function notify({ ctx, input }: { ctx: DomainContext; input: NotifyInput }): Promise<number> {
  return queueNotifications(ctx, await planFor(ctx, input));
}
