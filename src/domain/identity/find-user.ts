import { eq } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { users } from "../../db/schema/index.ts";
import { AppError } from "../errors.ts";
import type { UserRow } from "./user-views.ts";

export async function findUser(db: Database, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

export const accountGone = () => new AppError("UNAUTHENTICATED", "The account no longer exists.");
export const userNotFound = () => new AppError("NOT_FOUND", "No user with this id.");
