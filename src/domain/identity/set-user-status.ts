import { eq } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireAdmin } from "./authenticate.ts";
import { userNotFound } from "./find-user.ts";
import { revokeSessions } from "./sessions.ts";
import { type PrivateUser, privateUser } from "./user-views.ts";

/** Admins suspend or reinstate an account; suspension ends its sessions at once. */
export async function setUserStatus({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; status: "active" | "suspended" };
}): Promise<PrivateUser> {
  const admin = requireAdmin(ctx);
  if (input.id === admin.userId && input.status === "suspended") {
    throw new AppError("CONFLICT", "Administrators cannot suspend themselves.");
  }
  return withTransaction(ctx, async (ctx) => {
    const [user] = await ctx.db
      .update(users)
      .set({ status: input.status, updatedAt: ctx.deps.clock.now() })
      .where(eq(users.id, input.id))
      .returning();
    if (!user) throw userNotFound();
    if (input.status === "suspended") await revokeSessions(ctx, { userId: user.id, reason: "suspended" });
    return privateUser(user);
  });
}
