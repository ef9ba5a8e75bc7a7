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
 * The SQL of a search. Its strategy follows the order and the place, so that indexes serve every
 * combination a client can send:
 * - nearest first (`sort=distance`): KNN over the position GiST (nearest-first.ts);
 * - a place on the map (a box, or a radius in another order): the covering grid cells, each
 *   already in the search's order in its index;
 * - anything else: the city, country and order indexes.
 */
export function searchQuery(db: Database, search: Search) {
  if (search.sort === "distance") return nearestFirst(db, search);
  const place = placeOf(search);
  return place ? gridSearch(db, search, place) : plainSearch(db, search);
}

interface Place {
  boxes: Box[];
  level: number;
  cells: number[];
  /** The centre of a radius search. */
  near?: { lat: number; lng: number } | undefined;
}

/** A box, or a circle's bounding boxes (none crosses the antimeridian), and the grid cells covering them. */
function placeOf(search: Search): Place | undefined {
  const list = search.bbox ? boxes(search.bbox) : search.near && boxAround(search.near, search.radiusKm);
  return list && { boxes: list, ...gridCover(list), near: search.bbox ? undefined : search.near };
}

const cellColumns = [listings.cell0, listings.cell1, listings.cell2, listings.cell3];

/** An array literal in one parameter: drizzle would spread a JavaScript array into many. */
const intArray = (values: number[]) => `{${values.join(",")}}`;

/**
 * Inside the place: within the circle, or within the boxes (two longitude ranges across the
 * antimeridian). A circle lies in its cells, so its box would add nothing.
 */
function inPlace(search: Search, place: Place, chord: SQL | undefined): SQL {
  if (chord) return lte(chord, chordOf(search.radiusKm));
  const parts = place.boxes.map(
    (b) =>
      sql`(${listings.lat} between ${b.swLat} and ${b.neLat} and ${listings.lng} between ${b.swLng} and ${b.neLng})`,
  );
  return sql`(${sql.join(parts, sql` or `)})`;
}

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
 * A place on the map, cell by cell: each covering grid cell yields its own first rows in order
 * from the cell's index for that order, the best of those make the page, and only the page's rows
 * are read from the table. It costs about the same whatever the place or its density.
 */
function gridSearch(db: Database, search: Search, place: Place) {
  const order = orderOf(search.sort);
  const chord = place.near ? chordFrom(centreOf(place.near)) : undefined;
  const hits = db
    .select({
      id: listings.id,
      sortKey: sql<unknown>`${order.key}`.as("sort_key"),
      chord: (chord ?? sql<number | null>`null`).as("chord"),
    })
    .from(listings)
    .where(
      and(
        sql`${cellColumns[place.level]} = grid.cell`,
        ...filters(search),
        inPlace(search, place, chord),
        afterPosition(search, order),
      ),
    )
    .orderBy(...inOrder(order, order.key, listings.id))
    .limit(search.limit + 1)
    .as("hits");
  const page = db
    .select({ id: hits.id, sortKey: hits.sortKey, chord: hits.chord })
    .from(sql`unnest(${intArray(place.cells)}::int[]) as grid(cell)`)
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
