import { eq } from "drizzle-orm";
import { paymentEvents } from "../../db/schema/index.ts";
import {
  type ConnectedAccount,
  type PaymentEvent,
  type PaymentIntent,
  PaymentProviderError,
  type PaymentRefund,
  PaymentSignatureError,
} from "../../ports.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError } from "../errors.ts";
import { applyAccount } from "./apply-account.ts";
import { applyIntent } from "./apply-intent.ts";
import { applyRefund } from "./apply-refund.ts";
import { settlePaymentAfter } from "./settle-payment.ts";

export interface EventReceipt {
  eventId: string;
  /** False when this event id was applied before: nothing changed this time. */
  applied: boolean;
}

/**
 * A Stripe webhook: verified over its raw body, then applied once per event id. The object it is
 * about is read again from Stripe before the transaction (never during it), and the booking is
 * brought in line with that object's current state, so duplicates and reordered events converge.
 * The event id is recorded in the transaction that applies it: a crash before the commit leaves
 * it unrecorded, and Stripe's retry applies it.
 */
export async function receivePaymentEvent({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { rawBody: string; signature: string | undefined };
}): Promise<EventReceipt> {
  const event = await verify(ctx, input.rawBody, input.signature);
  const [seen] = await ctx.db
    .select({ id: paymentEvents.id })
    .from(paymentEvents)
    .where(eq(paymentEvents.id, event.id));
  if (seen) return { eventId: event.id, applied: false };
  const current = await readAgain(ctx, event.about);
  const outcome = await withTransaction(ctx, async (ctx) => {
    const [recorded] = await ctx.db
      .insert(paymentEvents)
      .values({ id: event.id, type: event.type, receivedAt: ctx.deps.clock.now() })
      .onConflictDoNothing()
      .returning({ id: paymentEvents.id });
    if (!recorded) return { applied: false, bookingId: null };
    const concerns = await apply(ctx, current);
    if (event.about && concerns === null) {
      ctx.deps.logger.log("warn", "payment.event.unknown", { event: event.id, type: event.type });
    }
    return { applied: true, bookingId: concerns?.bookingId ?? null };
  });
  // What the booking's new state asks of Stripe; if it fails, the tick tries again.
  if (outcome.bookingId) await settlePaymentAfter(ctx, outcome.bookingId);
  return { eventId: event.id, applied: outcome.applied };
}

async function verify(ctx: DomainContext, rawBody: string, signature: string | undefined) {
  try {
    return await ctx.deps.payments.verifyEvent(rawBody, signature);
  } catch (error) {
    if (!(error instanceof PaymentSignatureError)) throw error;
    throw new AppError("INVALID_SIGNATURE", error.message, {
      errors: [{ field: "stripe-signature", message: error.message }],
    });
  }
}

type Current =
  | { kind: "payment_intent"; object: PaymentIntent }
  | { kind: "refund"; object: PaymentRefund }
  | { kind: "account"; object: ConnectedAccount };

async function readAgain(ctx: DomainContext, about: PaymentEvent["about"]): Promise<Current | undefined> {
  try {
    return await read(ctx, about);
  } catch (error) {
    // Stripe does not know the object (another account's, or test data gone): nothing of ours.
    if (error instanceof PaymentProviderError && error.kind === "refused") return undefined;
    throw error;
  }
}

async function read(ctx: DomainContext, about: PaymentEvent["about"]): Promise<Current | undefined> {
  const { payments } = ctx.deps;
  switch (about?.kind) {
    case "payment_intent":
      return { kind: about.kind, object: await payments.getIntent(about.id) };
    case "refund":
      return { kind: about.kind, object: await payments.getRefund(about.id) };
    case "account":
      return { kind: about.kind, object: await payments.getAccount(about.id) };
    default:
      return undefined;
  }
}

/**
 * Applies the object's current state; answers what it concerns (the booking, if any), or null
 * when it is none of this app's.
 */
async function apply(
  ctx: DomainContext,
  current: Current | undefined,
): Promise<{ bookingId: string | null } | null> {
  const booking = (id: string | null) => (id === null ? null : { bookingId: id });
  switch (current?.kind) {
    case "payment_intent":
      return booking(await applyIntent(ctx, current.object));
    case "refund":
      return booking(await applyRefund(ctx, current.object));
    case "account":
      return (await applyAccount(ctx, current.object)) ? { bookingId: null } : null;
    default:
      return null;
  }
}
