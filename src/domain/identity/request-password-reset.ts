import { and, eq, sql } from "drizzle-orm";
import { passwordResetTokens, users } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { links } from "../notifications/links.ts";
import { passwordReset } from "../notifications/templates/account-mails.ts";
import { renderMail } from "../notifications/templates/render.ts";
import { addToOutbox } from "../outbox/add-to-outbox.ts";
import { topics } from "../outbox/topics.ts";
import { enforceRateLimit } from "../rate-limit.ts";
import { identityLimits } from "./limits.ts";
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
  const link = links.resetPassword(ctx.deps.config, token);
  await withTransaction(ctx, async (ctx) => {
    await ctx.db.insert(passwordResetTokens).values({
      tokenHash: await sha256Hex(token),
      userId: user.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_SECONDS * 1000),
    });
    await addToOutbox(ctx, {
      topic: topics.sendMail,
      payload: renderMail(
        user.email,
        passwordReset({ you: user, url: link, validMinutes: PASSWORD_RESET_TTL_SECONDS / 60 }),
      ),
    });
  });
  return { queued: true };
}
