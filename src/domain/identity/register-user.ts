import { users } from "../../db/schema/index.ts";
import { postgresCode, UNIQUE_VIOLATION } from "../../lib/postgres-errors.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { enforceRateLimit } from "../rate-limit.ts";
import { identityLimits } from "./limits.ts";
import { hashPassword } from "./password.ts";
import { type PrivateUser, privateUser } from "./user-views.ts";

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  clientIp: string;
}

export async function registerUser({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: RegisterInput;
}): Promise<PrivateUser> {
  await enforceRateLimit(ctx.deps, `register:ip:${input.clientIp}`, identityLimits.registerPerIp);
  const now = ctx.deps.clock.now();
  const adminEmail = ctx.deps.config.ADMIN_EMAIL?.toLowerCase();
  try {
    const [user] = await ctx.db
      .insert(users)
      .values({
        id: ctx.deps.ids.next(),
        email: input.email,
        passwordHash: await hashPassword(input.password),
        name: input.name,
        isAdmin: adminEmail !== undefined && adminEmail === input.email.toLowerCase(),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!user) throw new Error("insert returned no row");
    return privateUser(user);
  } catch (error) {
    if (postgresCode(error) === UNIQUE_VIOLATION) {
      throw new AppError("CONFLICT", "An account with this email already exists.", { cause: error });
    }
    throw error;
  }
}
