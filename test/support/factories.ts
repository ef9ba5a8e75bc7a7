import type { Database } from "../../src/db/database.ts";
import { listings, users } from "../../src/db/schema/index.ts";
import { hashPassword } from "../../src/domain/identity/password.ts";
import { newListingSchema } from "../../src/domain/listings/listing-schemas.ts";
import { listingColumns } from "../../src/domain/listings/listing-view.ts";
import { listingExample } from "../../src/routes/listings/listings.routes.ts";
import { DUMMY_PASSWORD_HASH } from "./seed.ts";

/**
 * Rows written straight into the database, for tests that only need data to exist (the listings
 * a search should find, a crowd of neighbours). What is under test still goes through the API.
 */

export type UserRow = typeof users.$inferSelect;
export type ListingRow = typeof listings.$inferSelect;
export type UserOverrides = Partial<typeof users.$inferInsert> & {
  /** Hashed as sign-up hashes it; without it the user gets a hash no password matches. */
  password?: string;
};
export type ListingOverrides = Partial<typeof listings.$inferInsert>;
export type NewListingRow = typeof listings.$inferInsert;

/** Rows per INSERT: 40 columns × 500 rows stays under PostgreSQL's 65,535 parameters. */
const BATCH = 500;

/** A valid user row with a unique id and e-mail; override any column. */
export async function insertUser(db: Database, overrides: UserOverrides = {}): Promise<UserRow> {
  const { password, ...columns } = overrides;
  const id = columns.id ?? crypto.randomUUID();
  const now = new Date();
  const passwordHash = password === undefined ? DUMMY_PASSWORD_HASH : await hashPassword(password);
  const [row] = await db
    .insert(users)
    .values({
      id,
      email: `user-${id}@example.com`,
      passwordHash,
      name: `User ${id.slice(0, 8)}`,
      createdAt: now,
      updatedAt: now,
      ...columns,
    })
    .returning();
  if (!row) throw new Error("insertUser: the insert returned no row");
  return row;
}

/** The columns of the documented example listing (published, in Paris), validated as a create would. */
const exampleColumns = listingColumns(newListingSchema.parse(listingExample));

/** A valid listing row of `hostId` with a random UUID; override any column. */
export function listingRow(hostId: string, overrides: ListingOverrides = {}): NewListingRow {
  const createdAt = overrides.createdAt ?? new Date();
  return {
    ...exampleColumns,
    id: crypto.randomUUID(),
    hostId,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

/** One listing; without a `hostId`, a new user hosts it. */
export async function insertListing(db: Database, overrides: ListingOverrides = {}): Promise<ListingRow> {
  const hostId = overrides.hostId ?? (await insertUser(db)).id;
  const [row] = await db.insert(listings).values(listingRow(hostId, overrides)).returning();
  if (!row) throw new Error("insertListing: the insert returned no row");
  return row;
}

/**
 * Many listings of one host, in batches, in the order given; returns the rows as written (ids
 * included). Reading back thousands of rows would double the time the grid tests take to seed.
 */
export async function insertListings(
  db: Database,
  hostId: string,
  many: ListingOverrides[],
): Promise<NewListingRow[]> {
  const rows = many.map((overrides) => listingRow(hostId, overrides));
  for (let i = 0; i < rows.length; i += BATCH) await db.insert(listings).values(rows.slice(i, i + BATCH));
  return rows;
}
