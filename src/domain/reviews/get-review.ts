import { eq } from "drizzle-orm";
import { reviews } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import type { Review } from "./review-schemas.ts";
import { reviewNotFound } from "./review-store.ts";
import { toReview } from "./review-view.ts";

/**
 * A review: a published one for anyone; an unpublished or hidden one only for its author (and
 * admins). Until both sides reviewed or the window closed, not even the other side sees it.
 */
export async function getReview({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string };
}): Promise<Review> {
  const [row] = await ctx.db.select().from(reviews).where(eq(reviews.id, input.id));
  const visible =
    row !== undefined &&
    (row.status === "published" || ctx.actor?.userId === row.authorId || ctx.actor?.isAdmin);
  if (!row || !visible) throw reviewNotFound();
  return toReview(row, ctx.actor);
}
