import { hasUpcomingStays } from "../bookings/calendar-store.ts";
import { localDate } from "../bookings/local-time.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import type { ListingRow } from "./listing-view.ts";

/**
 * A published listing with stays still to come stays published: guests were promised those
 * nights. Call under the listing's row lock, before it leaves `published`.
 */
export async function refuseUnlistingWithStays(ctx: DomainContext, listing: ListingRow): Promise<void> {
  const today = localDate(ctx.deps.clock.now(), listing.timezone);
  if (await hasUpcomingStays(ctx.db, listing.id, today)) {
    throw new AppError("CONFLICT", "The listing has upcoming stays: cancel them before unlisting it.", {
      errors: [{ field: "status", message: "Cannot leave published while stays are upcoming" }],
    });
  }
}
