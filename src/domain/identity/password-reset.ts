import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { passwordResetTokens, users } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { addToOutbox } from "../outbox/drain-outbox.ts";
import { topics } from "../outbox/topics.ts";
import { enforceRateLimit } from "../rate-limit.ts";
import { identityLimits } from "./limits.ts";
import { hashPassword } from "./password.ts";
import { revokeSessions } from "./sessions.ts";
import { opaqueToken, PASSWORD_RESET_TTL_SECONDS, sha256Hex } from "./tokens.ts";

/**
 * Sends a single-use reset link when the e-mail belongs to an active account. The caller answers
 * the same either way, so the endpoint does not reveal who has an account.
 */
export async function requestPasswordReset({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { email: string; clientIp: string };
}): Promise<{ queued: boolean }> {
  await enforceRateLimit(ctx.deps, `password-reset:ip:${input.clientIp}`, identityLimits.passwordResetPerIp);
  const [user] = await ctx.db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, input.email.toLowerCase()), eq(users.status, "active")))
    .limit(1);
  if (!user) return { queued: false };

  const token = opaqueToken();
  const now = ctx.deps.clock.now();
  const base = ctx.deps.config.PUBLIC_URL ?? "http://localhost:8787";
  const link = `${base.replace(/\/$/, "")}/reset-password?token=${encodeURIComponent(token)}`;
  await ctx.db.transaction(async (tx) => {
    await tx.insert(passwordResetTokens).values({
      tokenHash: await sha256Hex(token),
      userId: user.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_SECONDS * 1000),
    });
    await addToOutbox(tx, ctx, {
      topic: topics.sendMail,
      payload: {
        to: user.email,
        subject: "Reset your stayedge password",
        text: `Hello ${user.name},\n\nTo choose a new password, open ${link}\nThe link works once, for ${PASSWORD_RESET_TTL_SECONDS / 60} minutes. If you did not ask for it, ignore this message.`,
      },
    });
  });
  return { queued: true };
}

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
  const done = await ctx.db.transaction(async (tx) => {
    const [used] = await tx
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
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, used.userId));
    await revokeSessions(tx, ctx, used.userId, "password_reset");
    return true;
  });
  if (!done)
    throw new AppError("VALIDATION_FAILED", "The reset link is invalid, used or expired.", {
      errors: [{ location: "body.token", message: "Invalid, used or expired token" }],
    });
}
