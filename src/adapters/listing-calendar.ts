import type { DurableObjectNamespace } from "@cloudflare/workers-types/index.ts";
import type { CalendarLock, Logger } from "../ports.ts";
import type { ListingCalendar } from "../worker/listing-calendar.ts";

/**
 * How long a booking may hold its listing's lock: far longer than its transaction takes, short
 * enough that a request whose isolate died frees the listing soon.
 */
export const LEASE_MS = 15_000;

const errorName = (error: unknown) => (error instanceof Error ? error.name : "unknown");

/**
 * The calendar lock on Workers: the listing's ListingCalendar Durable Object serialises its date
 * holds across every isolate (DESIGN §3). The work, a database transaction, runs here in the
 * Worker between `acquire` and `release`. If the object cannot be reached, the work runs anyway:
 * the listing's row lock and the exclusion constraint still decide, only later and at more cost.
 */
export function durableCalendarLock(
  namespace: DurableObjectNamespace<ListingCalendar>,
  logger: Logger,
): CalendarLock {
  // A stub per call: a Worker may not use one request's I/O objects in another.
  const calendarOf = (listingId: string) => namespace.get(namespace.idFromName(listingId));
  return {
    async withLock<T>(listingId: string, work: () => Promise<T>): Promise<T> {
      const calendar = calendarOf(listingId);
      let token: string | undefined;
      try {
        token = await calendar.acquire(LEASE_MS);
      } catch (error) {
        logger.log("warn", "calendar.lock_unavailable", { listingId, error: errorName(error) });
      }
      try {
        return await work();
      } finally {
        if (token !== undefined) {
          // A lease that is not given back runs out by itself; the request need not fail for it.
          await calendar.release(token).catch((error: unknown) => {
            logger.log("warn", "calendar.release_failed", { listingId, error: errorName(error) });
          });
        }
      }
    },
    async wakeAt(listingId, at) {
      // The hold is committed by now: a missed wake-up only leaves its expiry to the periodic tick.
      try {
        await calendarOf(listingId).wakeAt(listingId, at.getTime());
      } catch (error) {
        logger.log("warn", "calendar.wake_failed", { listingId, error: errorName(error) });
      }
    },
  };
}
