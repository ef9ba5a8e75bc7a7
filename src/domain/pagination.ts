import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/** A position in a newest-first list: the `createdAt` and `id` of the last row already shown. */
export interface NewestFirstPosition {
  createdAt: Date;
  id: string;
}

/**
 * Rows after `position` in (createdAt desc, id desc) order; ids break ties between equal timestamps.
 * A row comparison, which PostgreSQL reads as a bound of a (…, createdAt, id) index: the same test
 * written with `or` is a filter, and a page deep in a list would read every row before it.
 */
export function afterNewestFirst(
  createdAt: PgColumn,
  id: PgColumn,
  position: NewestFirstPosition | undefined,
): SQL | undefined {
  if (!position) return undefined;
  return sql`(${createdAt}, ${id}) < (${sql.param(position.createdAt, createdAt)}, ${sql.param(position.id, id)})`;
}

/** A page of a keyset list: its items, where each item is, and where the next page starts, if any. */
export interface KeysetPage<T, P> {
  items: T[];
  /** Each item's position: a page starting after one starts right after that item. */
  positions: P[];
  next?: P;
}

/** Splits `limit + 1` fetched rows into a page and the position to continue from, if there is more. */
export function newestFirstPage<R extends { createdAt: Date; id: string }, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
): KeysetPage<T, NewestFirstPosition> {
  const page = rows.slice(0, limit);
  const positions = page.map(({ createdAt, id }) => ({ createdAt, id }));
  const last = positions.at(-1);
  const items = page.map(view);
  return rows.length > limit && last ? { items, positions, next: last } : { items, positions };
}
