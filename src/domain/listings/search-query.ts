import { and, eq, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { type Box, gridCover } from "../../db/grid.ts";
import { listings } from "../../db/schema/index.ts";
import { renderedOnce } from "../../db/statements.ts";
import { nearestFirst } from "./nearest-first.ts";
import { boxAround, boxes, chordOf } from "./places.ts";
import type { Search } from "./search-input.ts";
import {
  afterPosition,
  arrayLiteral,
  Bindings,
  centreOf,
  chordFrom,
  filters,
  inOrder,
  itemColumns,
  orderOf,
} from "./search-parts.ts";

/** The rows of a search, by a statement rendered once per shape (see renderedOnce). */
export async function runSearch(db: Database, search: Search) {
  const { query, bindings } = searchQuery(db, search);
  return renderedOnce(db, bindings.shape, () => query.prepare("")).execute(bindings.values);
}

/**
 * The SQL of a search, with its values bound as placeholders. Its strategy follows the order and
 * the place, so that indexes serve every combination a client can send:
 * - nearest first (`sort=distance`): KNN over the position GiST (nearest-first.ts);
 * - a place on the map (a box, or a radius in another order): the covering grid cells, each
 *   already in the search's order in its index;
 * - anything else: the city, country and order indexes.
 */
export function searchQuery(db: Database, search: Search) {
  const bindings = new Bindings();
  if (search.sort === "distance") return { query: nearestFirst(db, search, bindings), bindings };
  const place = placeOf(search);
  const query = place ? gridSearch(db, search, place, bindings) : plainSearch(db, search, bindings);
  return { query, bindings };
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

/**
 * Inside the place: within the circle, or within the boxes (two longitude ranges across the
 * antimeridian). A circle lies in its cells, so its box would add nothing.
 */
function inPlace(search: Search, place: Place, chord: SQL | undefined, b: Bindings): SQL {
  if (chord) return lte(chord, b.bind("radius", chordOf(search.radiusKm)));
  const parts = place.boxes.map(
    (box, i) =>
      sql`(${listings.lat} between ${b.bind(`s${i}`, box.swLat)} and ${b.bind(`n${i}`, box.neLat)}
        and ${listings.lng} between ${b.bind(`w${i}`, box.swLng)} and ${b.bind(`e${i}`, box.neLng)})`,
  );
  return sql`(${sql.join(parts, sql` or `)})`;
}

function plainSearch(db: Database, search: Search, b: Bindings) {
  const order = orderOf(search.sort, b);
  return db
    .select({ ...itemColumns, sortKey: sql<unknown>`${order.key}`, chord: sql<number | null>`null` })
    .from(listings)
    .where(and(...filters(search, b), afterPosition(search, order, b)))
    .orderBy(...inOrder(order, order.key, listings.id))
    .limit(b.bind("limit", search.limit + 1));
}

/**
 * A place on the map, cell by cell: each covering grid cell yields its own first rows in order
 * from the cell's index for that order, the best of those make the page, and only the page's rows
 * are read from the table. It costs about the same whatever the place or its density.
 */
function gridSearch(db: Database, search: Search, place: Place, b: Bindings) {
  b.lay(`cells at level ${place.level}`);
  const order = orderOf(search.sort, b);
  const chord = place.near ? chordFrom(centreOf(place.near, b)) : undefined;
  const limit = b.bind("limit", search.limit + 1);
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
        ...filters(search, b),
        inPlace(search, place, chord, b),
        afterPosition(search, order, b),
      ),
    )
    .orderBy(...inOrder(order, order.key, listings.id))
    .limit(limit)
    .as("hits");
  const page = db
    .select({ id: hits.id, sortKey: hits.sortKey, chord: hits.chord })
    .from(sql`unnest(${b.bind("cells", arrayLiteral(place.cells))}::int[]) as grid(cell)`)
    .crossJoinLateral(hits)
    .orderBy(...inOrder(order, hits.sortKey, hits.id))
    .limit(limit)
    .as("page");
  return db
    .select({ ...itemColumns, sortKey: page.sortKey, chord: page.chord })
    .from(page)
    .innerJoin(listings, eq(listings.id, page.id))
    .orderBy(...inOrder(order, page.sortKey, page.id));
}
