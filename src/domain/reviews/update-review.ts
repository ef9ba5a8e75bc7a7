import { eq } from "drizzle-orm";
import { reviews } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import { checkSide } from "./create-review.ts";
import type { Review, ReviewChanges } from "./review-schemas.ts";
import { reviewNotFound } from "./review-store.ts";
import { toReview } from "./review-view.ts";

/** Its author edits a review until it is published; never after. */
export async function updateReview({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: ReviewChanges & { id: string };
}): Promise<Review> {
  const actor = requireActor(ctx);
  const { id, ...changes } = input;
  const row = await withTransaction(ctx, async (ctx) => {
    const [review] = await ctx.db.select().from(reviews).where(eq(reviews.id, id)).for("update");
    if (review?.authorId !== actor.userId) throw reviewNotFound();
    // Closed is as good as published: the tick that publishes it may not have run yet.
    if (review.status !== "pending" || review.windowClosesAt <= ctx.deps.clock.now()) {
      throw new AppError(
        "INVALID_STATE",
        "A published review, or one whose window closed, can no longer be edited.",
      );
    }
    checkSide(review.side, changes, false);
    const { categories, ...rest } = changes;
    const [updated] = await ctx.db
      .update(reviews)
      .set({ ...rest, ...categories, updatedAt: ctx.deps.clock.now() })
      .where(eq(reviews.id, id))
      .returning();
    return updated ?? review;
  });
  return toReview(row, actor);
}
