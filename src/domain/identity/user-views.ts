import type { users } from "../../db/schema/index.ts";

export type UserRow = typeof users.$inferSelect;
export type Role = "guest" | "host" | "admin";

export function roleOf(user: Pick<UserRow, "isAdmin" | "hostSince">): Role {
  if (user.isAdmin) return "admin";
  return user.hostSince ? "host" : "guest";
}

/** What the account holder (and admins) see. Never the password hash. */
export function privateUser(user: UserRow) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    bio: user.bio,
    avatarUrl: user.avatarUrl,
    phone: user.phone,
    role: roleOf(user),
    isHost: user.hostSince !== null,
    status: user.status,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

/** What anyone may see of anyone: no e-mail, no phone. */
export function publicProfile(user: UserRow) {
  return {
    id: user.id,
    name: user.name,
    avatarUrl: user.avatarUrl,
    bio: user.bio,
    memberSince: user.createdAt.toISOString(),
    isHost: user.hostSince !== null,
  };
}

export type PrivateUser = ReturnType<typeof privateUser>;
export type PublicProfile = ReturnType<typeof publicProfile>;
