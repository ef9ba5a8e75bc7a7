import { inArray } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { usersRatings } from "../reviews/user-ratings.ts";
import type { PublicProfileWithReviews } from "./get-public-profile.ts";
import { publicProfile } from "./user-views.ts";

/**
 * `getPublicProfile` of several users at once, in two statements whatever their number: what anyone
 * may see of each. Ids of no user are left out (the caller tells which are missing).
 */
export async function getPublicProfiles({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { ids: readonly string[] };
}): Promise<PublicProfileWithReviews[]> {
  if (input.ids.length === 0) return [];
  const found = await ctx.db
    .select()
    .from(users)
    .where(inArray(users.id, [...input.ids]));
  const ratings = await usersRatings(
    ctx,
    found.map((user) => user.id),
  );
  return found.flatMap((user) => {
    const reviews = ratings.get(user.id);
    return reviews ? [{ ...publicProfile(user), reviews }] : [];
  });
}
