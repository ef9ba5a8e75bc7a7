import type { DomainContext } from "../context.ts";
import type { KeysetPage } from "../pagination.ts";
import type { SearchItem } from "./listing-schemas.ts";
import { type SearchItemRow, toSearchItem } from "./listing-view.ts";
import { kmOf } from "./places.ts";
import {
  resolveSearch,
  SEARCH_CACHE_TTL_SECONDS,
  type Search,
  type SearchInput,
  type SearchPosition,
  searchCacheKey,
} from "./search-input.ts";
import { runSearch } from "./search-query.ts";
import { type PricedListing, stayTotals } from "./search-stay-prices.ts";

/** Published listings as a search shows them, each item's position, and where the next page starts. */
export type SearchPage = KeysetPage<SearchItem, SearchPosition>;

type FoundRow = SearchItemRow & PricedListing & { sortKey: unknown; chord: unknown };

/**
 * Published listings matching every filter given, in a stable order with a keyset position (the
 * sort key and id). With dates, only listings free and bookable for the stay, each with its price.
 * Answers are cached for a few seconds by normalised search; dated ones never are, so a change to
 * a calendar shows in the next search.
 */
export async function searchListings({
  ctx,
  input,
}: {
  ctx: DomainContext;
  input: SearchInput;
}): Promise<SearchPage> {
  const search = resolveSearch(input, ctx.deps.clock.now());
  if (search.stay) return pageOf(ctx, await runSearch(ctx.db, search), search);
  const key = searchCacheKey(search);
  const cached = await ctx.deps.cache.get<SearchPage>(key);
  if (cached) return cached;
  const page = await pageOf(ctx, await runSearch(ctx.db, search), search);
  await ctx.deps.cache.set(key, page, SEARCH_CACHE_TTL_SECONDS);
  return page;
}

async function pageOf(ctx: DomainContext, rows: FoundRow[], search: Search): Promise<SearchPage> {
  const shown = rows.slice(0, search.limit);
  const stays = search.stay && (await stayTotals(ctx, shown, search.stay));
  const items = shown.map((row) =>
    toSearchItem(
      row,
      // Great-circle kilometres to the metre, from the chord the row was ranked or filtered by.
      row.chord === null ? undefined : Math.round(kmOf(Number(row.chord)) * 1000) / 1000,
      stays?.get(row.id),
    ),
  );
  const positions = shown.map((row) => positionOf(search.sort, row));
  const last = positions.at(-1);
  return rows.length > search.limit && last ? { items, positions, next: last } : { items, positions };
}

function positionOf(sort: Search["sort"], row: FoundRow): SearchPosition {
  if (sort === "newest") {
    return { sort, key: new Date(row.sortKey as string | Date).toISOString(), id: row.id };
  }
  return { sort, key: Number(row.sortKey), id: row.id };
}
