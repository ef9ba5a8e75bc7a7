import { eq } from "drizzle-orm";
import { reviews } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import type { Review } from "./review-schemas.ts";
import { reviewNotFound } from "./review-store.ts";
import { toReview } from "./review-view.ts";

/** The host answers a published guest review of their stay, once. */
export async function replyToReview({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; text: string };
}): Promise<Review> {
  const actor = requireActor(ctx);
  const row = await withTransaction(ctx, async (ctx) => {
    const [review] = await ctx.db.select().from(reviews).where(eq(reviews.id, input.id)).for("update");
    // Until it is published a review does not exist for anyone but its author, the host included.
    if (review?.status !== "published") throw reviewNotFound();
    if (review.side !== "guest" || review.subjectId !== actor.userId) {
      throw new AppError("FORBIDDEN", "Only the host answers a guest's review of their stay.");
    }
    if (review.reply !== null) throw new AppError("CONFLICT", "This review has its answer already.");
    const now = ctx.deps.clock.now();
    const [updated] = await ctx.db
      .update(reviews)
      .set({ reply: input.text, repliedAt: now, updatedAt: now })
      .where(eq(reviews.id, review.id))
      .returning();
    return updated ?? review;
  });
  return toReview(row, actor);
}
