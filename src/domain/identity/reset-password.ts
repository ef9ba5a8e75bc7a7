import { and, eq, gt, isNull } from "drizzle-orm";
import { passwordResetTokens, users } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { invalidField } from "../errors.ts";
import { hashPassword } from "./password.ts";
import { revokeSessions } from "./sessions.ts";
import { sha256Hex } from "./tokens.ts";

/** Uses a reset token once: sets the new password and signs the account out everywhere. */
export async function resetPassword({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { token: string; newPassword: string };
}): Promise<void> {
  const tokenHash = await sha256Hex(input.token);
  const now = ctx.deps.clock.now();
  const passwordHash = await hashPassword(input.newPassword);
  const done = await withTransaction(ctx, async (ctx) => {
    const [used] = await ctx.db
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResetTokens.tokenHash, tokenHash),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, now),
        ),
      )
      .returning({ userId: passwordResetTokens.userId });
    if (!used) return false;
    await ctx.db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, used.userId));
    await revokeSessions(ctx, { userId: used.userId, reason: "password_reset" });
    return true;
  });
  if (!done)
    throw invalidField(
      "token",
      "Invalid, used or expired token",
      "The reset link is invalid, used or expired.",
    );
}
