import { and, lte, sql } from "drizzle-orm";
import type { Database } from "../../db/database.ts";
import { listings } from "../../db/schema/index.ts";
import { chordOf, sphere } from "./places.ts";
import type { Search } from "./search-input.ts";
import {
  afterPosition,
  type Bindings,
  chordFrom,
  filters,
  inOrder,
  itemColumns,
  orderOf,
} from "./search-parts.ts";

/**
 * Nearest first, in two steps of one statement:
 * 1. the first `limit + 1` listings that pass every filter, nearest first on a flat (lng, lat)
 *    map, by KNN over listings_position_idx: the farthest of them by true distance (at most the
 *    radius) bounds where the page can lie, and the scan stops after that many rows;
 * 2. every listing in the box round that cap, ranked by true distance and id (ties settle in the
 *    database).
 */
export function nearestFirst(db: Database, search: Search, b: Bindings) {
  const near = search.near;
  if (!near) throw new Error("a nearest-first search needs a centre");
  const { cx, cy, cz } = sphere(near);
  // The search's values, bound once in a row of its own (`offset 0` keeps PostgreSQL from copying
  // them back into each expression that reads them).
  const origin = sql`(select ${b.bind("lat", near.lat)}::float8 as lat, ${b.bind("lng", near.lng)}::float8 as lng,
    ${b.bind("radius", chordOf(search.radiusKm))}::float8 as radius,
    cube(array[${b.bind("cx", cx)}, ${b.bind("cy", cy)}, ${b.bind("cz", cz)}]::float8[]) as centre offset 0) as origin`;
  const chord = chordFrom(sql`origin.centre`);
  const order = orderOf("distance", b, chord);
  const conditions = [...filters(search, b), afterPosition(search, order, b)];
  const limit = b.bind("limit", search.limit + 1);
  const point = sql`point(${listings.lng}, ${listings.lat})`;

  const candidates = sql`(select ${chord} as chord from ${listings} where ${and(...conditions)}
    order by ${point} <-> point(origin.lng, origin.lat) limit ${limit}) as candidates`;
  // How far the page can reach: a chord, and the cap's half-angle in degrees (a hair wider than
  // exact, so float rounding never leaves out a listing on its rim, as in boxAround).
  const reach = db
    .select({
      chord: sql<number>`least(max(candidates.chord), origin.radius)`.as("reach_chord"),
      angle: sql<number>`degrees(2 * asin(least(max(candidates.chord), origin.radius) / 2)) + 1e-9`.as(
        "reach_angle",
      ),
    })
    .from(candidates)
    .as("reach");
  // The longitudes the cap spans either side of the centre; past a pole, every longitude.
  const span = db
    .select({
      chord: reach.chord,
      angle: reach.angle,
      lngs: sql<number>`case when abs(origin.lat) + ${reach.angle} >= 90 then 180
        else degrees(asin(least(1, sind(${reach.angle}) / cosd(origin.lat)))) + 1e-9 end`.as("lngs"),
    })
    .from(reach)
    .as("span");
  // Reaching ±180 (where a listing may be stored at either sign), the box takes the whole band.
  const cap = sql`case when origin.lng - ${span.lngs} <= -180 or origin.lng + ${span.lngs} >= 180
    then box(point(-180, origin.lat - ${span.angle}), point(180, origin.lat + ${span.angle}))
    else box(point(origin.lng - ${span.lngs}, origin.lat - ${span.angle}),
             point(origin.lng + ${span.lngs}, origin.lat + ${span.angle})) end`;
  return db
    .select({ ...itemColumns, sortKey: sql<unknown>`${chord}`, chord })
    .from(origin)
    .crossJoinLateral(span)
    .innerJoin(listings, and(sql`${point} <@ ${cap}`, lte(chord, span.chord), ...conditions))
    .orderBy(...inOrder(order, order.key, listings.id))
    .limit(limit);
}
