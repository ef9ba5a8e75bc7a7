import { and, eq, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { type Box, gridCover } from "../../db/grid.ts";
import { listings } from "../../db/schema/index.ts";
import { nearestFirst } from "./nearest-first.ts";
import { boxAround, boxes, chordOf } from "./places.ts";
import type { Search } from "./search-input.ts";
import {
  afterPosition,
  centreOf,
  chordFrom,
  filters,
  inOrder,
  itemColumns,
  orderOf,
} from "./search-parts.ts";

/**
 * The SQL of a search. Three strategies, each served by indexes whatever the values:
 * - nearest first (`sort=distance`): KNN over the position GiST (nearest-first.ts);
 * - a place on the map (a box, or a radius in another order): the grid cells covering it;
 * - anything else: the country/city or order indexes.
 */
export function searchQuery(db: Database, search: Search) {
  if (search.sort === "distance") return nearestFirst(db, search);
  const place = placeOf(search);
  return place ? gridSearch(db, search, place) : plainSearch(db, search);
}

/** A city, a country, free text or nothing: the order and filter indexes. */
function plainSearch(db: Database, search: Search) {
  const order = orderOf(search.sort);
  return db
    .select({ ...itemColumns, sortKey: sql<unknown>`${order.key}`, chord: sql<number | null>`null` })
    .from(listings)
    .where(and(...filters(search), afterPosition(search, order)))
    .orderBy(...inOrder(order, order.key, listings.id))
    .limit(search.limit + 1);
}

/**
 * A box, or a radius in another order than distance: its boxes (which never cross the
 * antimeridian), the grid cells covering them, and the centre when it is a radius.
 */
function placeOf(search: Search): Place | undefined {
  const list = search.bbox ? boxes(search.bbox) : search.near && boxAround(search.near, search.radiusKm);
  return list && { boxes: list, ...gridCover(list), near: search.bbox ? undefined : search.near };
}

interface Place {
  boxes: Box[];
  level: number;
  cells: number[];
  /** The centre of a radius search. */
  near?: { lat: number; lng: number } | undefined;
}

/** Latitude and longitude ranges of the boxes (two longitude ranges across the antimeridian). */
function inBoxes(list: Box[]): SQL {
  const parts = list.map(
    (b) =>
      sql`(${listings.lat} between ${b.swLat} and ${b.neLat} and ${listings.lng} between ${b.swLng} and ${b.neLng})`,
  );
  return sql`(${sql.join(parts, sql` or `)})`;
}

/**
 * A place on the map, cell by cell: each covering grid cell yields its own first rows (in order
 * from the cell's index when sorted by price, else ranked from the index alone), the best of those
 * make the page, and only the page's rows are read from the table. The plan is the same whatever
 * the place or its density.
 */
function gridSearch(db: Database, search: Search, place: Place) {
  const order = orderOf(search.sort);
  const chord = place.near ? chordFrom(centreOf(place.near)) : undefined;
  const cell = [listings.cell0, listings.cell1, listings.cell2, listings.cell3][place.level];
  const conditions = [
    sql`${cell} = grid.cell`,
    ...filters(search),
    inBoxes(place.boxes),
    chord ? lte(chord, chordOf(search.radiusKm)) : undefined,
    afterPosition(search, order),
  ];
  const hits = db
    .select({
      id: listings.id,
      sortKey: sql<unknown>`${order.key}`.as("sort_key"),
      chord: (chord ?? sql<number | null>`null`).as("chord"),
    })
    .from(listings)
    .where(and(...conditions))
    .orderBy(...inOrder(order, order.key, listings.id))
    .limit(search.limit + 1)
    .as("hits");
  // An array literal in one parameter: drizzle would spread a JavaScript array into many.
  const cells = `{${place.cells.join(",")}}`;
  const page = db
    .select({ id: hits.id, sortKey: hits.sortKey, chord: hits.chord })
    .from(sql`unnest(${cells}::int[]) as grid(cell)`)
    .crossJoinLateral(hits)
    .orderBy(...inOrder(order, hits.sortKey, hits.id))
    .limit(search.limit + 1)
    .as("page");
  return db
    .select({ ...itemColumns, sortKey: page.sortKey, chord: page.chord })
    .from(page)
    .innerJoin(listings, eq(listings.id, page.id))
    .orderBy(...inOrder(order, page.sortKey, page.id));
}
