import { eq } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { requireAdmin } from "./authenticate.ts";
import { userNotFound } from "./find-user.ts";
import { type PrivateUser, privateUser } from "./user-views.ts";

/** Makes another account an admin. Only admins may; the first admin comes from ADMIN_EMAIL or the seed. */
export async function grantAdmin({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string };
}): Promise<PrivateUser> {
  requireAdmin(ctx);
  const [user] = await ctx.db
    .update(users)
    .set({ isAdmin: true, updatedAt: ctx.deps.clock.now() })
    .where(eq(users.id, input.id))
    .returning();
  if (!user) throw userNotFound();
  return privateUser(user);
}
