import { withDatabase } from "./db/database.ts";
import { settleBookings } from "./domain/bookings/settle-bookings.ts";
import { syncCalendarImport } from "./domain/calendar-sync/sync-calendar-import.ts";
import { syncDueImports } from "./domain/calendar-sync/sync-due-imports.ts";
import { sweepExpired } from "./domain/maintenance/sweep-expired.ts";
import { notify } from "./domain/notifications/notify.ts";
import { drainOutbox } from "./domain/outbox/drain-outbox.ts";
import { topics } from "./domain/outbox/topics.ts";
import { receivePaymentEvent } from "./domain/payments/receive-payment-event.ts";
import { releasePayouts } from "./domain/payments/release-payouts.ts";
import { settleDuePayments } from "./domain/payments/settle-due-payments.ts";
import { settlePayment } from "./domain/payments/settle-payment.ts";
import { publishDueReviews } from "./domain/reviews/publish-due-reviews.ts";
import type { Deps, Job, MailMessage } from "./ports.ts";

/**
 * Runs one job. `signal`, when the engine gives one (pg-boss), aborts once the attempt was taken
 * back (it expired, or its claim was lost): a handler with steps stops between them.
 */
type TopicHandler = (job: Job, deps: Deps, signal: AbortSignal | undefined) => Promise<void>;

/**
 * E-mails the event asks for (src/domain/notifications): queued through the outbox under ids
 * derived from the event's, so a repeat queues nothing. A job without an id (none comes from the
 * outbox so) is named by its content.
 */
const notifyOf = (job: Job, deps: Deps) =>
  withDatabase(deps.database, (db) =>
    notify({
      ctx: { db, deps },
      input: {
        topic: job.topic,
        eventId: job.id ?? `${job.topic}:${JSON.stringify(job.payload)}`,
        payload: job.payload,
      },
    }),
  );

/**
 * Background job handlers by topic, shared by both runtimes (the Queues consumer on Workers, the
 * in-process queue on Node).
 */
const handlers: ReadonlyMap<string, TopicHandler> = new Map<string, TopicHandler>([
  [
    topics.drainOutbox,
    async (_job, deps) => {
      await withDatabase(deps.database, (db) => drainOutbox({ ctx: { db, deps }, input: {} }));
    },
  ],
  [
    topics.sendMail,
    (job, deps, signal) => deps.mailer.send(job.payload as MailMessage, { idempotencyKey: job.id, signal }),
  ],
  [
    topics.settleBookings,
    async (job, deps) => {
      const { listingId } = job.payload as { listingId: string };
      await withDatabase(deps.database, (db) => settleBookings({ ctx: { db, deps }, input: { listingId } }));
    },
  ],
  // The e-mails a change sends, and what it asks of the booking's payment: both converge (a
  // repeat does nothing more), and one failing does not keep the other from running first.
  [
    topics.bookingChanged,
    async (job, deps, signal) => {
      const { bookingId } = job.payload as { bookingId: string };
      const mailed = await notifyOf(job, deps).then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      signal?.throwIfAborted();
      await withDatabase(deps.database, (db) => settlePayment({ ctx: { db, deps }, input: { bookingId } }));
      if (mailed) throw mailed.error;
    },
  ],
  // Fetch an imported calendar and apply its dates (the network call happens outside any transaction).
  [
    topics.syncCalendarImport,
    async (job, deps) => {
      const { importId } = job.payload as { importId: string };
      await withDatabase(deps.database, (db) =>
        syncCalendarImport({ ctx: { db, deps }, input: { importId } }),
      );
    },
  ],
  // A message asks for a mail at the end of its window; the mail then sums up what is unread.
  [
    topics.messageSent,
    async (job, deps) => {
      await notifyOf(job, deps);
    },
  ],
  [
    topics.messagesMailDue,
    async (job, deps) => {
      await notifyOf(job, deps);
    },
  ],
  [
    topics.reviewPublished,
    async (job, deps) => {
      await notifyOf(job, deps);
    },
  ],
  [
    topics.reviewReminderDue,
    async (job, deps) => {
      await notifyOf(job, deps);
    },
  ],
]);

export async function runJob(job: Job, deps: Deps, signal?: AbortSignal): Promise<void> {
  const handler = handlers.get(job.topic);
  if (!handler) throw new Error(`no handler for job topic ${job.topic}`);
  await handler(job, deps, signal);
}

/**
 * The periodic tick (cron on Workers, a timer on Node): move bookings on, retry what payments owe
 * Stripe, pay hosts what is due, publish reviews whose window closed, hand imported calendars that
 * are due to their sync jobs, clean up, then deliver what the outbox holds.
 */
export async function scheduledTick(deps: Deps): Promise<void> {
  await withDatabase(deps.database, async (db) => {
    const bookings = await settleBookings({ ctx: { db, deps } });
    const payments = await settleDuePayments({ ctx: { db, deps } });
    const payouts = await releasePayouts({ ctx: { db, deps } });
    const reviews = await publishDueReviews({ ctx: { db, deps } });
    const calendars = await syncDueImports({ ctx: { db, deps } });
    const removed = await sweepExpired({ ctx: { db, deps } });
    const handed = await drainOutbox({ ctx: { db, deps }, input: {} });
    deps.logger.log("info", "tick", {
      bookings,
      payments,
      payouts,
      reviews,
      calendars,
      removed,
      outbox: handed,
    });
  });
}

/**
 * Where the simulated Stripe delivers its signed events: the webhook's own verb, as Stripe's POST
 * to /v1/webhooks/stripe would reach it. `deps` is read when an event comes, once wired.
 */
export function deliverPaymentEvents(deps: () => Deps) {
  return async (rawBody: string, signature: string): Promise<void> => {
    await withDatabase(deps().database, (db) =>
      receivePaymentEvent({ ctx: { db, deps: deps() }, input: { rawBody, signature } }),
    );
  };
}
