import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { listings, users } from "../../db/schema/index.ts";
import type { Actor, DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { canManage, type ListingRow } from "./listing-view.ts";

export const listingNotFound = () => new AppError("NOT_FOUND", "No listing with this id.");

export async function findListing(db: Database, id: string): Promise<ListingRow | undefined> {
  const [row] = await db.select().from(listings).where(eq(listings.id, id)).limit(1);
  return row;
}

/**
 * The listing `actor` is about to change, locked until the transaction ends. Someone else's draft
 * is as invisible as a missing one (404); someone else's published listing is forbidden (403).
 */
export async function lockListingToManage(ctx: DomainContext, actor: Actor, id: string): Promise<ListingRow> {
  const [row] = await ctx.db.select().from(listings).where(eq(listings.id, id)).limit(1).for("update");
  if (!row || (!canManage(actor, row) && row.status !== "published")) throw listingNotFound();
  if (!canManage(actor, row)) {
    throw new AppError("FORBIDDEN", "Only the host or an admin may change this listing.");
  }
  return row;
}

/** The first published listing makes its owner a host. */
export async function markHost(ctx: DomainContext, row: ListingRow): Promise<void> {
  if (row.status !== "published") return;
  await ctx.db
    .update(users)
    .set({ hostSince: ctx.deps.clock.now() })
    .where(and(eq(users.id, row.hostId), isNull(users.hostSince)));
}
