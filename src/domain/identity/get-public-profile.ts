import type { DomainContext } from "../context.ts";
import { type UserRatings, userRatings } from "../reviews/user-ratings.ts";
import { findUser, userNotFound } from "./find-user.ts";
import { type PublicProfile, publicProfile } from "./user-views.ts";

export type PublicProfileWithReviews = PublicProfile & { reviews: UserRatings };

/** What anyone may see of a user, with what published reviews say of them as a guest and as a host. */
export async function getPublicProfile({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string };
}): Promise<PublicProfileWithReviews> {
  const user = await findUser(ctx.db, input.id);
  if (!user) throw userNotFound();
  return { ...publicProfile(user), reviews: await userRatings(ctx, user.id) };
}
