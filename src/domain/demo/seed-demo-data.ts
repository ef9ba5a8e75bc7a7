import { users } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { hashPassword } from "../identity/password.ts";

export const DEMO_PASSWORD = "stayedge-demo";

export const demoAccounts = [
  {
    email: "admin@stayedge.test",
    name: "Ada Admin",
    isAdmin: true,
    host: false,
    bio: "Keeps the lights on.",
  },
  {
    email: "host@stayedge.test",
    name: "Hugo Host",
    isAdmin: false,
    host: true,
    bio: "Three flats by the sea.",
  },
  { email: "guest@stayedge.test", name: "Gina Guest", isAdmin: false, host: false, bio: null },
] as const;

/**
 * Demo data for the embedded database's first start: an admin, a host and a guest, all with
 * DEMO_PASSWORD. Safe to run twice: existing e-mails are left as they are.
 */
export async function seedDemoData({
  ctx,
}: {
  ctx: DomainContext;
  input: Record<string, never>;
}): Promise<number> {
  const now = ctx.deps.clock.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const inserted = await ctx.db
    .insert(users)
    .values(
      demoAccounts.map((account) => ({
        id: ctx.deps.ids.next(),
        email: account.email,
        passwordHash,
        name: account.name,
        bio: account.bio,
        isAdmin: account.isAdmin,
        hostSince: account.host ? now : null,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: users.id });
  return inserted.length;
}
