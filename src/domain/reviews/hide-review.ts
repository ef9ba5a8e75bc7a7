import { eq } from "drizzle-orm";
import { reviews, users } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireAdmin } from "../identity/authenticate.ts";
import { reviewHidden } from "../notifications/templates/account-mails.ts";
import { renderMail } from "../notifications/templates/render.ts";
import { addToOutbox } from "../outbox/add-to-outbox.ts";
import { topics } from "../outbox/topics.ts";
import { countInListing, forgetListings } from "./listing-ratings.ts";
import type { Review } from "./review-schemas.ts";
import { reviewNotFound } from "./review-store.ts";
import { toReview } from "./review-view.ts";

/**
 * An admin hides a review, saying why: it leaves every public list and its listing's rating in the
 * same transaction, and its author is told by e-mail (through the outbox, so only if it commits).
 */
export async function hideReview({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; reason: string };
}): Promise<Review> {
  const admin = requireAdmin(ctx);
  const row = await withTransaction(ctx, async (ctx) => {
    const [review] = await ctx.db.select().from(reviews).where(eq(reviews.id, input.id)).for("update");
    if (!review) throw reviewNotFound();
    if (review.status === "hidden") throw new AppError("INVALID_STATE", "This review is hidden already.");
    const [hidden] = await ctx.db
      .update(reviews)
      .set({ status: "hidden", hiddenReason: input.reason, updatedAt: ctx.deps.clock.now() })
      .where(eq(reviews.id, review.id))
      .returning();
    if (!hidden) throw reviewNotFound();
    if (review.status === "published") await countInListing(ctx, review, -1);
    const [author] = await ctx.db
      .select({ email: users.email, name: users.name })
      .from(users)
      .where(eq(users.id, review.authorId));
    if (author) {
      await addToOutbox(ctx, {
        topic: topics.sendMail,
        payload: renderMail(author.email, reviewHidden({ you: author, reason: input.reason })),
      });
    }
    return hidden;
  });
  if (row.side === "guest") await forgetListings(ctx, [row.listingId]);
  return toReview(row, admin);
}
