import { and, eq, inArray, sql } from "drizzle-orm";
import { calendarDays } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError, type FieldError, invalidField } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import { lockListingToManage } from "../listings/listing-store.ts";
import {
  type CalendarChanges,
  changeSpan,
  checkChangeDates,
  dayWrites,
  planChanges,
} from "./calendar-changes.ts";
import type { DateRange } from "./calendar-rules.ts";
import type { Calendar } from "./calendar-schemas.ts";
import { calendarDaysIn, holdingBookingsIn } from "./calendar-store.ts";
import { readCalendar } from "./calendar-view.ts";
import { localDate } from "./local-time.ts";

/**
 * The host (or an admin) blocks, opens and prices dates, all in one transaction, and gets back the
 * calendar over the dates the change names. The listing's row lock, which bookings take too,
 * keeps a booking and a block from passing each other; the database's trigger refuses any that
 * would (409 either way).
 */
export async function updateCalendar({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; changes: CalendarChanges };
}): Promise<Calendar> {
  const actor = requireActor(ctx);
  return withTransaction(ctx, async (ctx) => {
    const listing = await lockListingToManage(ctx, actor, input.id);
    const { wanted, problems } = planChanges(input.changes);
    const [problem] = problems;
    if (problem) throw invalidField(problem.path.join(".") || "changes", problem.message);
    checkChangeDates(input.changes, localDate(ctx.deps.clock.now(), listing.timezone));
    await refuseBookedBlocks(ctx, listing.id, input.changes.block ?? []);
    const span = changeSpan(input.changes);
    const existing = await calendarDaysIn(ctx.db, listing.id, span.from, span.to);
    const { upserts, deletes } = dayWrites(existing, wanted);
    if (deletes.length > 0) {
      await ctx.db
        .delete(calendarDays)
        .where(and(eq(calendarDays.listingId, listing.id), inArray(calendarDays.day, deletes)));
    }
    if (upserts.length > 0) {
      await ctx.db
        .insert(calendarDays)
        .values(upserts.map((row) => ({ ...row, listingId: listing.id })))
        .onConflictDoUpdate({
          target: [calendarDays.listingId, calendarDays.day],
          set: {
            blocked: sql`excluded.blocked`,
            price: sql`excluded.price`,
            importId: sql`excluded.import_id`,
          },
        });
    }
    return readCalendar(ctx.db, listing, span);
  });
}

/** 409 `DATES_UNAVAILABLE` naming each block range with a booked night, and its first one. */
async function refuseBookedBlocks(ctx: DomainContext, listingId: string, blocks: DateRange[]) {
  if (blocks.length === 0) return;
  const span = changeSpan({ block: blocks });
  const stays = await holdingBookingsIn(ctx.db, listingId, span.from, span.to);
  const errors: FieldError[] = blocks.flatMap((range, index) => {
    const stay = stays.find((s) => s.checkIn < range.to && s.checkOut > range.from);
    if (!stay) return [];
    const [, first] = [stay.checkIn, range.from].toSorted();
    return [{ field: `block.${index}`, message: `${first} is booked: a booked date cannot be blocked` }];
  });
  if (errors.length > 0) {
    throw new AppError("DATES_UNAVAILABLE", "Some of these dates are booked.", { errors });
  }
}
