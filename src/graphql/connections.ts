import type { ArgBuilder } from "@pothos/core";
import type { KeysetPage, NewestFirstPosition } from "../domain/pagination.ts";
import { encodeNewestFirst } from "../http/cursor.ts";
import type { Types } from "./builder.ts";

/** Connections read forward only, like REST's keyset pages: `first` items `after` a cursor. */
export function pageArgs(t: ArgBuilder<Types>, max: number) {
  return {
    first: firstArg(t, max),
    after: t.string({ description: "`endCursor` (or any edge's `cursor`) of the page before" }),
  };
}

/** How many items a page has; the cost of a query counts `maxPageSize` when a variable sets it. */
export function firstArg(t: ArgBuilder<Types>, max: number) {
  return t.int({
    description: `How many items, 1 to ${max}`,
    defaultValue: DEFAULT_PAGE_SIZE,
    extensions: { maxPageSize: max },
  });
}

export const DEFAULT_PAGE_SIZE = 20;

/**
 * A keyset page of the domain as a Relay connection: each item's position is its edge's cursor,
 * encoded as REST encodes `nextCursor`, so a cursor from either API works in the other.
 */
export function connectionOf<T, P>(page: KeysetPage<T, P>, encode: (position: P) => string) {
  const edges = page.items.flatMap((node, index) => {
    const position = page.positions[index];
    return position === undefined ? [] : [{ node, cursor: encode(position) }];
  });
  return {
    edges,
    pageInfo: {
      hasNextPage: page.next !== undefined,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** The cursor of a position in a newest-first list, as REST encodes it. */
export const newestFirstCursor = (position: NewestFirstPosition): string => encodeNewestFirst(position) ?? "";
