import { and, desc, eq, gt, lt } from "drizzle-orm";
import { bookings } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { requireActor } from "../identity/authenticate.ts";
import { afterNewestFirst, type NewestFirstPosition, newestFirstPage } from "../pagination.ts";
import { bookingViewer } from "./booking-view.ts";
import type { BookingStatus } from "./vocabulary.ts";

export interface BookingFilter {
  /** The caller's trips (`guest`), or the bookings of the caller's listings (`host`). */
  as: "guest" | "host";
  listingId?: string | undefined;
  status?: BookingStatus | undefined;
  /** Stays with a night in `[from, to)`. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  after?: NewestFirstPosition | undefined;
}

/** The caller's bookings as guest or as host, newest first (keyset on createdAt, id). */
export async function listBookings({ ctx, input }: { ctx: DomainContext; input: BookingFilter }) {
  const actor = requireActor(ctx);
  const party = input.as === "guest" ? bookings.guestId : bookings.hostId;
  const rows = await ctx.db
    .select()
    .from(bookings)
    .where(
      and(
        eq(party, actor.userId),
        input.listingId ? eq(bookings.listingId, input.listingId) : undefined,
        input.status ? eq(bookings.status, input.status) : undefined,
        input.to ? lt(bookings.checkIn, input.to) : undefined,
        input.from ? gt(bookings.checkOut, input.from) : undefined,
        afterNewestFirst(bookings.createdAt, bookings.id, input.after),
      ),
    )
    .orderBy(desc(bookings.createdAt), desc(bookings.id))
    .limit(input.limit + 1);
  return newestFirstPage(rows, input.limit, await bookingViewer(ctx, rows));
}
