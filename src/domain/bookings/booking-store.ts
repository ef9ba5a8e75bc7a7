import { eq } from "drizzle-orm";
import { bookingEvents, bookings } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { addToOutbox } from "../outbox/add-to-outbox.ts";
import { topics } from "../outbox/topics.ts";
import type { BookingRow } from "./booking-view.ts";
import type { BookingParty, BookingStatus } from "./vocabulary.ts";

export const bookingNotFound = () => new AppError("NOT_FOUND", "No booking with this id.");

/** The moves a booking may make; anything else is `INVALID_STATE`. */
const moves: Record<BookingStatus, readonly BookingStatus[]> = {
  requested: ["pending_payment", "confirmed", "declined", "cancelled", "expired"],
  pending_payment: ["confirmed", "cancelled", "expired"],
  confirmed: ["cancelled", "completed"],
  completed: [],
  cancelled: [],
  declined: [],
  expired: [],
};

export interface Move {
  to: BookingStatus;
  by: { role: BookingParty; userId?: string | undefined };
  reason?: string | undefined;
  /** Other columns that change with the state. */
  set?: Partial<
    Pick<BookingRow, "holdExpiresAt" | "acceptedAt" | "paymentAuthorizedAt" | "cancelledBy" | "refundDue">
  >;
}

/** The booking, locked until the transaction ends. */
export async function lockBooking(ctx: DomainContext, id: string): Promise<BookingRow> {
  const [row] = await ctx.db.select().from(bookings).where(eq(bookings.id, id)).limit(1).for("update");
  if (!row) throw bookingNotFound();
  return row;
}

export function invalidState(row: Pick<BookingRow, "status">, action: string): AppError {
  return new AppError("INVALID_STATE", `A ${row.status.replace("_", " ")} booking cannot be ${action}.`);
}

/**
 * Refuses to act on a hold that has run out but is not marked `expired` yet (the tick or the
 * listing's alarm is about to): its dates are no longer promised.
 */
export function refuseRunOutHold(row: Pick<BookingRow, "holdExpiresAt">, now: Date, action: string): void {
  if (row.holdExpiresAt && row.holdExpiresAt <= now) {
    throw new AppError(
      "INVALID_STATE",
      `The booking's hold ran out at ${row.holdExpiresAt.toISOString()}: it cannot be ${action}.`,
    );
  }
}

/**
 * Moves a locked booking to another state, in the caller's transaction, with its history row and
 * an outbox message (`booking.<state>`) for whoever reacts to it later.
 */
export async function moveBooking(ctx: DomainContext, row: BookingRow, move: Move): Promise<BookingRow> {
  if (!moves[row.status].includes(move.to)) throw invalidState(row, `moved to ${move.to}`);
  const now = ctx.deps.clock.now();
  const holds = move.to === "requested" || move.to === "pending_payment";
  const [updated] = await ctx.db
    .update(bookings)
    .set({ holdExpiresAt: holds ? row.holdExpiresAt : null, ...move.set, status: move.to, updatedAt: now })
    .where(eq(bookings.id, row.id))
    .returning();
  if (!updated) throw bookingNotFound();
  await recordEvent(ctx, updated, row.status, move);
  return updated;
}

/** The history row and outbox message of a booking's change (its creation has `from` null). */
export async function recordEvent(
  ctx: DomainContext,
  row: BookingRow,
  from: BookingStatus | null,
  move: Pick<Move, "by" | "reason">,
): Promise<void> {
  const at = ctx.deps.clock.now();
  await ctx.db.insert(bookingEvents).values({
    id: ctx.deps.ids.next(),
    bookingId: row.id,
    actorId: move.by.userId ?? null,
    actorRole: move.by.role,
    fromStatus: from,
    toStatus: row.status,
    reason: move.reason ?? null,
    at,
  });
  await addToOutbox(ctx, {
    topic: topics.bookingChanged,
    payload: { bookingId: row.id, listingId: row.listingId, from, to: row.status, at: at.toISOString() },
  });
}
