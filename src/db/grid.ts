import { type SQL, sql } from "drizzle-orm";

/**
 * Map grids for place searches. A listing's cell at each level is stored (generated columns
 * `cell_0`…`cell_3`) and indexed with the price, so a box is searched one cell at a time, each
 * cell's listings already in order. Cells are 0.01°, 0.1°, 1° and 10° wide: a search uses the
 * finest level that covers its box in a few cells (see `gridCover`).
 *
 * The SQL expression and `cellOf` do the same float8 arithmetic in the same order, so a point
 * inside a box always falls in one of the cells the box is said to cover.
 */
export const GRID_LEVELS = 4;
const STEPS = [1, 10, 100, 1000] as const;
/** Hundredths of a degree. */
const scale = (degrees: number) => degrees * 100;

function columns(level: number): number {
  return 36_000 / step(level) + 1;
}

function step(level: number): number {
  const value = STEPS[level];
  if (value === undefined) throw new RangeError(`no grid level ${level}`);
  return value;
}

export function gridCellSql(level: number): SQL {
  const s = step(level);
  return sql.raw(
    `floor(("lat" + 90) * 100 / ${s})::int * ${columns(level)} + floor(("lng" + 180) * 100 / ${s})::int`,
  );
}

export function cellOf(level: number, lat: number, lng: number): number {
  return rowOf(level, lat) * columns(level) + columnOf(level, lng);
}

const rowOf = (level: number, lat: number) => Math.floor(scale(lat + 90) / step(level));
const columnOf = (level: number, lng: number) => Math.floor(scale(lng + 180) / step(level));

export interface Box {
  swLat: number;
  swLng: number;
  neLat: number;
  neLng: number;
}

/** Boxes whose cells at this level cover more than this are searched a level up. */
const MAX_CELLS = 32;

/**
 * The grid level and cells that cover `boxes` (which do not cross the antimeridian): the finest
 * level needing at most MAX_CELLS cells (counted per box), else the coarsest (at most 703 cells,
 * the whole Earth).
 */
export function gridCover(boxes: Box[]): { level: number; cells: number[] } {
  for (let level = 0; level < GRID_LEVELS; level++) {
    const count = boxes.reduce(
      (sum, b) =>
        sum +
        (rowOf(level, b.neLat) - rowOf(level, b.swLat) + 1) *
          (columnOf(level, b.neLng) - columnOf(level, b.swLng) + 1),
      0,
    );
    if (count > MAX_CELLS && level < GRID_LEVELS - 1) continue;
    // A set: the boxes of one search may share cells, and a cell walked twice would repeat rows.
    const cells = new Set<number>();
    for (const b of boxes) {
      for (let row = rowOf(level, b.swLat); row <= rowOf(level, b.neLat); row++) {
        for (let column = columnOf(level, b.swLng); column <= columnOf(level, b.neLng); column++) {
          cells.add(row * columns(level) + column);
        }
      }
    }
    return { level, cells: [...cells] };
  }
  throw new Error("unreachable");
}
