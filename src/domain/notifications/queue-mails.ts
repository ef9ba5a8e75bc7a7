import type { MailMessage } from "../../ports.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { addToOutbox } from "../outbox/add-to-outbox.ts";
import { topics } from "../outbox/topics.ts";
import { nameBasedId } from "./mail-id.ts";

/** An e-mail to send, named by what caused it: `<event id>:<recipient id>:<kind>`. */
export interface PlannedMail {
  key: string;
  message: MailMessage;
}

/** A notification due later (a review reminder, a message digest), named like a mail. */
export interface PlannedLater {
  key: string;
  topic: string;
  payload: unknown;
  at: Date;
}

export interface NotificationPlan {
  mails: PlannedMail[];
  later?: PlannedLater[] | undefined;
}

/**
 * Queues what an event asks for, in one transaction: each mail as a `mail.send` outbox message
 * whose id is derived from its key, which is also the mailer's idempotency key. An event handled
 * twice derives the same ids, and the outbox keeps the first: nobody hears of it twice. Then asks
 * for a drain, so the mails leave now rather than at the next tick. Answers how many were new.
 */
export async function queueNotifications(ctx: DomainContext, plan: NotificationPlan): Promise<number> {
  const added = await withTransaction(ctx, async (ctx) => {
    let count = 0;
    for (const mail of plan.mails) {
      const id = await nameBasedId(mail.key);
      if (await addToOutbox(ctx, { id, topic: topics.sendMail, payload: mail.message })) count++;
    }
    for (const item of plan.later ?? []) {
      const id = await nameBasedId(item.key);
      await addToOutbox(ctx, { id, topic: item.topic, payload: item.payload, availableAt: item.at });
    }
    return count;
  });
  if (added > 0) await ctx.deps.jobs.enqueue({ topic: topics.drainOutbox, payload: {} });
  return added;
}
