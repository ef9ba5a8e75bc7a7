import { lt } from "drizzle-orm";
import { idempotencyKeys, passwordResetTokens, refreshTokens } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";

/** Periodic clean-up (cron on Workers, a timer on Node): drops records past their expiry. */
export async function sweepExpired({ ctx }: { ctx: DomainContext }) {
  const now = ctx.deps.clock.now();
  const [keys, refresh, resets] = await Promise.all([
    ctx.db
      .delete(idempotencyKeys)
      .where(lt(idempotencyKeys.expiresAt, now))
      .returning({ key: idempotencyKeys.key }),
    ctx.db
      .delete(refreshTokens)
      .where(lt(refreshTokens.expiresAt, now))
      .returning({ hash: refreshTokens.tokenHash }),
    ctx.db
      .delete(passwordResetTokens)
      .where(lt(passwordResetTokens.expiresAt, now))
      .returning({ hash: passwordResetTokens.tokenHash }),
  ]);
  return { idempotencyKeys: keys.length, refreshTokens: refresh.length, passwordResetTokens: resets.length };
}
