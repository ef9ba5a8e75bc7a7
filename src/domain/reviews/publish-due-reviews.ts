import { and, asc, eq, lte } from "drizzle-orm";
import { reviews } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { forgetListings } from "./listing-ratings.ts";
import { publishReviews } from "./review-store.ts";

const BATCH = 200;

/**
 * Publishes the reviews whose window closed without the other side's review. Run by the periodic
 * tick; two runs at once take different rows (`SKIP LOCKED`), and a review published already is
 * never published twice.
 */
export async function publishDueReviews({ ctx }: { ctx: DomainContext }): Promise<number> {
  const now = ctx.deps.clock.now();
  const published = await withTransaction(ctx, async (ctx) => {
    const due = await ctx.db
      .select({ id: reviews.id })
      .from(reviews)
      .where(and(eq(reviews.status, "pending"), lte(reviews.windowClosesAt, now)))
      .orderBy(asc(reviews.windowClosesAt))
      .limit(BATCH)
      .for("update", { skipLocked: true });
    return publishReviews(
      ctx,
      due.map((row) => row.id),
    );
  });
  await forgetListings(
    ctx,
    published.filter((row) => row.side === "guest").map((row) => row.listingId),
  );
  return published.length;
}
