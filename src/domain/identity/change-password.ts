import { eq } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { invalidField } from "../errors.ts";
import { requireActor } from "./authenticate.ts";
import { accountGone, findUser } from "./find-user.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { revokeSessions } from "./sessions.ts";

/** Checks the current password, sets the new one and ends every other session of the account. */
export async function changePassword({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { currentPassword: string; newPassword: string };
}): Promise<void> {
  const actor = requireActor(ctx);
  const user = await findUser(ctx.db, actor.userId);
  if (!user) throw accountGone();
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw invalidField("currentPassword", "Incorrect password", "The current password is incorrect.");
  }
  const passwordHash = await hashPassword(input.newPassword);
  await withTransaction(ctx, async (ctx) => {
    await ctx.db
      .update(users)
      .set({ passwordHash, updatedAt: ctx.deps.clock.now() })
      .where(eq(users.id, user.id));
    await revokeSessions(ctx, { userId: user.id, reason: "password_changed", keep: actor.sessionId });
  });
}
