import { and, eq, isNull } from "drizzle-orm";
import { sessions } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { requireActor } from "./authenticate.ts";

/** Ends the caller's session: its access token and every refresh token of its family stop working. */
export async function logout({ ctx }: { ctx: DomainContext; input: Record<string, never> }): Promise<void> {
  const actor = requireActor(ctx);
  await ctx.db
    .update(sessions)
    .set({ revokedAt: ctx.deps.clock.now(), revokedReason: "logout" })
    .where(and(eq(sessions.id, actor.sessionId), isNull(sessions.revokedAt)));
}
