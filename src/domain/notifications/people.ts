import { inArray } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";

export interface Recipient {
  id: string;
  email: string;
  name: string;
}

/** The people `ids` name, by id, with the address their mail goes to; a missing one is left out. */
export async function readPeople(ctx: DomainContext, ids: string[]): Promise<Map<string, Recipient>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((row) => [row.id, row]));
}
