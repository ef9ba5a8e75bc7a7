import { eq } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { requireActor } from "./authenticate.ts";
import { accountGone } from "./find-user.ts";
import { type PrivateUser, privateUser } from "./user-views.ts";

export interface ProfileChanges {
  name?: string | undefined;
  bio?: string | null | undefined;
  avatarUrl?: string | null | undefined;
  phone?: string | null | undefined;
}

/** PATCH semantics: absent fields stay, `null` clears an optional one. */
export async function updateMe({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: ProfileChanges;
}): Promise<PrivateUser> {
  const actor = requireActor(ctx);
  const [user] = await ctx.db
    .update(users)
    .set({ ...input, updatedAt: ctx.deps.clock.now() })
    .where(eq(users.id, actor.userId))
    .returning();
  if (!user) throw accountGone();
  return privateUser(user);
}
