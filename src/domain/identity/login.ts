import { eq, sql } from "drizzle-orm";
import { sessions, users } from "../../db/schema/index.ts";
import { type DomainContext, withTransaction } from "../context.ts";
import { AppError } from "../errors.ts";
import { enforceRateLimit } from "../rate-limit.ts";
import { identityLimits } from "./limits.ts";
import { decoyHash, verifyPassword } from "./password.ts";
import { issueTokens, type TokenPair } from "./sessions.ts";

export interface LoginInput {
  email: string;
  password: string;
  clientIp: string;
}

const WRONG = "The email or password is incorrect.";

export async function login({ ctx, input }: { ctx: DomainContext; input: LoginInput }): Promise<TokenPair> {
  const email = input.email.toLowerCase();
  await enforceRateLimit(ctx.deps, `login:ip:${input.clientIp}`, identityLimits.loginPerIp);
  await enforceRateLimit(ctx.deps, `login:email:${email}`, identityLimits.loginPerEmail);

  const [user] = await ctx.db
    .select({ id: users.id, passwordHash: users.passwordHash, status: users.status })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email))
    .limit(1);
  // An unknown e-mail costs the same hashing as a wrong password, and gets the same answer.
  const matches = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !matches) throw new AppError("UNAUTHENTICATED", WRONG);
  if (user.status === "suspended") throw new AppError("FORBIDDEN", "This account is suspended.");

  const now = ctx.deps.clock.now();
  return withTransaction(ctx, async (ctx) => {
    const sessionId = ctx.deps.ids.next();
    await ctx.db.insert(sessions).values({ id: sessionId, userId: user.id, createdAt: now, lastUsedAt: now });
    return issueTokens(ctx, { userId: user.id, sessionId });
  });
}
