import { and, desc, eq } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { afterNewestFirst, type NewestFirstPosition, newestFirstPage } from "../pagination.ts";
import { requireAdmin } from "./authenticate.ts";
import { privateUser } from "./user-views.ts";

export interface ListUsersInput {
  limit: number;
  after?: NewestFirstPosition | undefined;
  status?: "active" | "suspended" | undefined;
}

/** Admins only. Newest first, keyset-paginated on (createdAt, id): equal timestamps never skip or repeat a user. */
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
