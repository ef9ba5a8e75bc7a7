import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { preparedStatement } from "../../db/prepared.ts";
import { listings, users } from "../../db/schema/index.ts";
import type { DomainContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireActor } from "../identity/authenticate.ts";
import { afterNewestFirst, type NewestFirstPosition, newestFirstPage } from "../pagination.ts";
import { inputOf, type ListingChanges, type ListingInput, listingColumns } from "./listing-input.ts";
import {
  canManage,
  LISTING_CACHE_TTL_SECONDS,
  type ListingRow,
  listingCacheKey,
  listingView,
  type VersionedListing,
} from "./listing-view.ts";

function checkNights(input: Pick<ListingInput, "minNights" | "maxNights">) {
  if (input.maxNights < input.minNights) {
    throw new AppError("VALIDATION_FAILED", "maxNights must be at least minNights.", {
      errors: [{ location: "body.maxNights", message: "Must be greater than or equal to minNights" }],
    });
  }
}

/** The first published listing makes its owner a host. */
async function markHost(tx: Database, ctx: DomainContext, row: ListingRow) {
  if (row.status !== "published") return;
  await tx
    .update(users)
    .set({ hostSince: ctx.deps.clock.now() })
    .where(and(eq(users.id, row.hostId), isNull(users.hostSince)));
}

export async function createListing({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: ListingInput;
}): Promise<VersionedListing> {
  const actor = requireActor(ctx);
  checkNights(input);
  const now = ctx.deps.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(listings)
      .values({
        ...listingColumns(input),
        id: ctx.deps.ids.next(),
        hostId: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!inserted) throw new Error("insert returned no row");
    await markHost(tx, ctx, inserted);
    return inserted;
  });
  return { listing: listingView(row), version: row.version };
}

/**
 * A listing by id. Plain reads run as a prepared statement, built and planned once: building this
 * select of every column, and planning it, cost more than reading the row. Locking reads run
 * inside a transaction, on its own handle, and are built each time.
 */
async function findListing(db: Database, id: string, lock = false): Promise<ListingRow | undefined> {
  if (lock) {
    const [row] = await db.select().from(listings).where(eq(listings.id, id)).limit(1).for("update");
    return row;
  }
  const byId = preparedStatement(db, "listing_by_id", "", (name) =>
    db
      .select()
      .from(listings)
      .where(eq(listings.id, sql.placeholder("id")))
      .limit(1)
      .prepare(name),
  );
  const [row] = await byId.execute({ id });
  return row;
}

const notFound = () => new AppError("NOT_FOUND", "No listing with this id.");

/**
 * The listing `actor` is about to change, locked for the transaction. Someone else's draft is as
 * invisible as a missing one (404); someone else's published listing is forbidden (403).
 */
async function lockManageable(
  tx: Database,
  actor: { userId: string; isAdmin: boolean },
  id: string,
): Promise<ListingRow> {
  const row = await findListing(tx, id, true);
  if (!row || (!canManage(actor, row) && row.status !== "published")) throw notFound();
  if (!canManage(actor, row))
    throw new AppError("FORBIDDEN", "Only the host or an admin may change this listing.");
  return row;
}

/**
 * Owner or admin. `ifMatch` (the ETag the client last saw) makes the update conditional: a
 * listing changed since answers 412 and is left alone.
 */
export async function updateListing({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string; changes: ListingChanges; ifMatch?: number | undefined };
}): Promise<VersionedListing> {
  const actor = requireActor(ctx);
  const row = await ctx.db.transaction(async (tx) => {
    const current = await lockManageable(tx, actor, input.id);
    if (input.ifMatch !== undefined && input.ifMatch !== current.version) {
      throw new AppError(
        "PRECONDITION_FAILED",
        "The listing changed since you read it. Fetch it again, then retry.",
      );
    }
    const before = inputOf(listingView(current));
    const { address, location, ...rest } = input.changes;
    const merged: ListingInput = {
      ...before,
      ...rest,
      address: { ...before.address, ...address },
      location: { ...before.location, ...location },
    };
    checkNights(merged);
    const [updated] = await tx
      .update(listings)
      .set({ ...listingColumns(merged), version: current.version + 1, updatedAt: ctx.deps.clock.now() })
      .where(eq(listings.id, current.id))
      .returning();
    if (!updated) throw notFound();
    await markHost(tx, ctx, updated);
    return updated;
  });
  // After the commit, so a reader cannot refill the cache with the old row in between.
  await ctx.deps.cache.delete(listingCacheKey(row.id));
  return { listing: listingView(row), version: row.version };
}

/**
 * Published listings for anyone (through the cache); drafts and unlisted ones only for their
 * host and admins, who always read the database so they never see their own change late.
 */
export async function getListing({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string };
}): Promise<VersionedListing> {
  const key = listingCacheKey(input.id);
  if (!ctx.actor) {
    const cached = await ctx.deps.cache.get<VersionedListing>(key);
    if (cached) return cached;
  }
  const row = await findListing(ctx.db, input.id);
  if (!row) throw notFound();
  if (row.status !== "published" && !canManage(ctx.actor, row)) throw notFound();
  const result = { listing: listingView(row), version: row.version };
  if (row.status === "published") await ctx.deps.cache.set(key, result, LISTING_CACHE_TTL_SECONDS);
  return result;
}

/**
 * "Deleting" unlists: the listing leaves search and public reads, its history stays for bookings
 * and reviews. (Refusing while future bookings exist arrives with bookings.)
 */
export async function deleteListing({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { id: string };
}): Promise<void> {
  const actor = requireActor(ctx);
  await ctx.db.transaction(async (tx) => {
    const current = await lockManageable(tx, actor, input.id);
    await tx
      .update(listings)
      .set({ status: "unlisted", version: current.version + 1, updatedAt: ctx.deps.clock.now() })
      .where(eq(listings.id, current.id));
  });
  await ctx.deps.cache.delete(listingCacheKey(input.id));
}

/** The caller's listings in every status, newest first (keyset on createdAt, id). */
export async function listMyListings({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: { limit: number; after?: NewestFirstPosition | undefined };
}) {
  const actor = requireActor(ctx);
  const rows = await ctx.db
    .select()
    .from(listings)
    .where(
      and(eq(listings.hostId, actor.userId), afterNewestFirst(listings.createdAt, listings.id, input.after)),
    )
    .orderBy(desc(listings.createdAt), desc(listings.id))
    .limit(input.limit + 1);
  return newestFirstPage(rows, input.limit, listingView);
}
