import { and, desc, eq } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { afterNewestFirst, type NewestFirstPosition, newestFirstPage } from "../pagination.ts";
import { requireActor, requireAdmin } from "./authenticate.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { revokeSessions } from "./sessions.ts";
import {
  type PrivateUser,
  type PublicProfile,
  privateUser,
  publicProfile,
  type UserRow,
} from "./user-views.ts";

async function findUser(ctx: DomainContext, id: string): Promise<UserRow | undefined> {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export async function getMe({
  ctx,
}: {
  ctx: DomainContext;
  input: Record<string, never>;
}): Promise<PrivateUser> {
  const actor = requireActor(ctx);
  const user = await findUser(ctx, actor.userId);
  if (!user) throw new AppError("UNAUTHENTICATED", "The account no longer exists.");
  return privateUser(user);
}

export interface ProfileChanges {
  name?: string | undefined;
  bio?: string | null | undefined;
  avatarUrl?: string | null | undefined;
  phone?: string | null | undefined;
}

/** PATCH semantics: absent fields stay, `null` clears an optional one. */
export async function updateMe({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: ProfileChanges;
}): Promise<PrivateUser> {
  const actor = requireActor(ctx);
  const [user] = await ctx.db
    .update(users)
    .set({ ...input, updatedAt: ctx.deps.clock.now() })
    .where(eq(users.id, actor.userId))
    .returning();
  if (!user) throw new AppError("UNAUTHENTICATED", "The account no longer exists.");
  return privateUser(user);
}

/** Checks the current password, sets the new one and ends every other session of the account. */
export async function changePassword({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { currentPassword: string; newPassword: string };
}): Promise<void> {
  const actor = requireActor(ctx);
  const user = await findUser(ctx, actor.userId);
  if (!user) throw new AppError("UNAUTHENTICATED", "The account no longer exists.");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError("VALIDATION_FAILED", "The current password is incorrect.", {
      errors: [{ location: "body.currentPassword", message: "Incorrect password" }],
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: ctx.deps.clock.now() })
      .where(eq(users.id, user.id));
    await revokeSessions(tx, ctx, user.id, "password_changed", actor.sessionId);
  });
}

export async function getPublicProfile({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string };
}): Promise<PublicProfile> {
  const user = await findUser(ctx, input.id);
  if (!user) throw new AppError("NOT_FOUND", "No user with this id.");
  return publicProfile(user);
}

export interface ListUsersInput {
  limit: number;
  after?: NewestFirstPosition | undefined;
  status?: "active" | "suspended" | undefined;
}

/** Newest first, keyset-paginated on (createdAt, id) so equal timestamps never skip or repeat a user. */
export async function listUsers({ ctx, input }: { ctx: DomainContext; input: ListUsersInput }) {
  requireAdmin(ctx);
  const rows = await ctx.db
    .select()
    .from(users)
    .where(
      and(
        input.status ? eq(users.status, input.status) : undefined,
        afterNewestFirst(users.createdAt, users.id, input.after),
      ),
    )
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(input.limit + 1);
  return newestFirstPage(rows, input.limit, privateUser);
}

/** Suspends or reinstates an account; suspension ends its sessions at once. */
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
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ status: input.status, updatedAt: ctx.deps.clock.now() })
      .where(eq(users.id, input.id))
      .returning();
    if (!user) throw new AppError("NOT_FOUND", "No user with this id.");
    if (input.status === "suspended") await revokeSessions(tx, ctx, user.id, "suspended");
    return privateUser(user);
  });
}

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
  if (!user) throw new AppError("NOT_FOUND", "No user with this id.");
  return privateUser(user);
}
