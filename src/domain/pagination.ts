import { and, eq, lt, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/** A position in a newest-first list: the `createdAt` and `id` of the last row already shown. */
export interface NewestFirstPosition {
  createdAt: Date;
  id: string;
}

/** Rows after `position` in (createdAt desc, id desc) order; ids break ties between equal timestamps. */
export function afterNewestFirst(
  createdAt: PgColumn,
  id: PgColumn,
  position: NewestFirstPosition | undefined,
): SQL | undefined {
  if (!position) return undefined;
  return or(lt(createdAt, position.createdAt), and(eq(createdAt, position.createdAt), lt(id, position.id)));
}

/** Splits `limit + 1` fetched rows into a page and the position to continue from, if there is more. */
export function newestFirstPage<R extends { createdAt: Date; id: string }, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
): { items: T[]; next?: NewestFirstPosition } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const items = page.map(view);
  return rows.length > limit && last
    ? { items, next: { createdAt: last.createdAt, id: last.id } }
    : { items };
}
