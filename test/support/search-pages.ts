import { expect } from "vitest";
import type { SearchItem } from "../../src/domain/listings/listing-schemas.ts";
import { searchListings } from "../../src/routes/listings/listings.routes.ts";
import { expectStatus } from "./api.ts";
import type { TestApp } from "./test-app.ts";

/** A search as a query string (`near=48.85,2.35&radiusKm=4`) or as fields. */
export type SearchQuery = string | Record<string, string | number | boolean | undefined>;

export interface SearchPage {
  items: SearchItem[];
  nextCursor: string | null;
}

/** One page of GET /v1/listings; fails with the answer's body unless it is 200. */
export async function searchPage(t: TestApp, query: SearchQuery): Promise<SearchPage> {
  const answer = await t.call(searchListings, { query });
  expectStatus(answer, 200);
  return answer.body;
}

/**
 * Up to `pages` pages of `limit` items, each asking for the previous page's `nextCursor`: the
 * items in order, and whether a next page was still offered after the last one read.
 */
export async function followPages(
  t: TestApp,
  query: SearchQuery,
  limit: number,
  pages: number,
): Promise<{ items: SearchItem[]; more: boolean }> {
  const base =
    typeof query === "string"
      ? new URLSearchParams(query)
      : new URLSearchParams(
          Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
        );
  base.set("limit", String(limit));
  const items: SearchItem[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < pages; n++) {
    const params = new URLSearchParams(base);
    if (cursor) params.set("cursor", cursor);
    const page = await searchPage(t, params.toString());
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return { items, more: cursor !== null };
}

/** Every page, `limit` at a time; fails when more than `max` items come (pages that never end). */
export async function allPages(
  t: TestApp,
  query: SearchQuery,
  limit: number,
  max = 100,
): Promise<SearchItem[]> {
  const { items, more } = await followPages(t, query, limit, Math.ceil((max + 1) / limit));
  expect(
    more,
    `pagination does not end: ${JSON.stringify(query)} → ${JSON.stringify(items.slice(0, 6))}`,
  ).toBe(false);
  return items;
}
