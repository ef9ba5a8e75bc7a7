import { describe, expect, it } from "vitest";
import { type Box, cellOf, GRID_LEVELS, gridCover } from "../../src/db/grid.ts";
import { createRng, type Rng } from "../support/prng.ts";

/** Columns of each level's grid, written out here rather than taken from the module under test. */
const COLUMNS = [36_001, 3_601, 361, 37] as const;
const MAX_CELLS = 32;
const WORLD: Box = { swLat: -90, swLng: -180, neLat: 90, neLng: 180 };

const columnsOf = (level: number): number => {
  const columns = COLUMNS[level];
  if (columns === undefined) throw new RangeError(`no level ${level}`);
  return columns;
};

/** Row and column of a point's cell, decoded from `cellOf`. */
function rowColumn(level: number, lat: number, lng: number): { row: number; column: number } {
  const cell = cellOf(level, lat, lng);
  return { row: Math.floor(cell / columnsOf(level)), column: cell % columnsOf(level) };
}

/** How many cells of `level` a box spans, from the cells of its corners. */
function cellsSpanned(level: number, box: Box): number {
  const sw = rowColumn(level, box.swLat, box.swLng);
  const ne = rowColumn(level, box.neLat, box.neLng);
  return (ne.row - sw.row + 1) * (ne.column - sw.column + 1);
}

/** The finest level spanning at most 32 cells in all, else the coarsest. */
function expectedLevel(boxes: Box[]): number {
  for (let level = 0; level < GRID_LEVELS; level++) {
    if (boxes.reduce((sum, b) => sum + cellsSpanned(level, b), 0) <= MAX_CELLS) return level;
  }
  return GRID_LEVELS - 1;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** A grid line as a user would type it (`12.34`) or as arithmetic makes it (`1234 * 0.01`). */
function onGridLine(rng: Rng, value: number, spacing: number): number {
  const k = Math.round(value / spacing);
  return rng.chance(0.5) ? Number((k * spacing).toFixed(2)) : k * spacing;
}

const SIZES = [0.001, 0.004, 0.01, 0.03, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 180, 360];
const SPACINGS = [0.01, 0.1, 1, 10];

/** A box of about `height` × `width` degrees somewhere on Earth, sometimes snapped to grid lines. */
function randomBox(rng: Rng, height: number, width: number): Box {
  const h = Math.min(180, height);
  const w = Math.min(360, width);
  let swLat = -90 + rng.next() * (180 - h);
  let swLng = -180 + rng.next() * (360 - w);
  let neLat = swLat + h;
  let neLng = swLng + w;
  if (rng.chance(0.4)) swLat = onGridLine(rng, swLat, rng.pick(SPACINGS));
  if (rng.chance(0.4)) swLng = onGridLine(rng, swLng, rng.pick(SPACINGS));
  if (rng.chance(0.4)) neLat = onGridLine(rng, neLat, rng.pick(SPACINGS));
  if (rng.chance(0.4)) neLng = onGridLine(rng, neLng, rng.pick(SPACINGS));
  // Sometimes touch the poles or the antimeridian.
  if (rng.chance(0.08)) swLat = -90;
  if (rng.chance(0.08)) neLat = 90;
  if (rng.chance(0.08)) swLng = -180;
  if (rng.chance(0.08)) neLng = 180;
  swLat = clamp(swLat, -90, 90);
  neLat = clamp(neLat, swLat, 90);
  swLng = clamp(swLng, -180, 180);
  neLng = clamp(neLng, swLng, 180);
  return { swLat, swLng, neLat, neLng };
}

/** Corners, edge midpoints, grid-line crossings and random points of a box, all inside it. */
function pointsIn(rng: Rng, box: Box, random: number): Array<[number, number]> {
  const lats = [box.swLat, box.neLat, (box.swLat + box.neLat) / 2];
  const lngs = [box.swLng, box.neLng, (box.swLng + box.neLng) / 2];
  for (const spacing of SPACINGS) {
    const lat = onGridLine(rng, box.swLat + rng.next() * (box.neLat - box.swLat), spacing);
    const lng = onGridLine(rng, box.swLng + rng.next() * (box.neLng - box.swLng), spacing);
    if (lat >= box.swLat && lat <= box.neLat) lats.push(lat);
    if (lng >= box.swLng && lng <= box.neLng) lngs.push(lng);
  }
  const points: Array<[number, number]> = [];
  for (const lat of lats) for (const lng of lngs) points.push([lat, lng]);
  for (let i = 0; i < random; i++) {
    points.push([
      clamp(box.swLat + rng.next() * (box.neLat - box.swLat), box.swLat, box.neLat),
      clamp(box.swLng + rng.next() * (box.neLng - box.swLng), box.swLng, box.neLng),
    ]);
  }
  return points;
}

/** Every point of every box whose cell is not among the covering cells, as readable strings. */
function uncovered(boxes: Box[], points: Array<[number, number]>): string[] {
  const { level, cells } = gridCover(boxes);
  const covered = new Set(cells);
  return points
    .filter(([lat, lng]) => !covered.has(cellOf(level, lat, lng)))
    .map(([lat, lng]) => `(${lat}, ${lng}) at level ${level} in ${JSON.stringify(boxes)}`);
}

describe("map grid cells (cellOf)", () => {
  it("numbers cells row by row from the south-west corner, 0.01°, 0.1°, 1° and 10° wide", () => {
    expect(cellOf(0, -90, -180)).toBe(0);
    expect(cellOf(0, -90, -179.995)).toBe(0);
    expect(cellOf(0, -90, -179.985)).toBe(1);
    expect(cellOf(0, -89.985, -180)).toBe(36_001);
    expect(cellOf(1, -89.85, -179.85)).toBe(3_601 + 1);
    expect(cellOf(2, 0, 0)).toBe(90 * 361 + 180);
    expect(cellOf(3, 0.5, 0.5)).toBe(9 * 37 + 18);
  });

  it("gives the poles and the antimeridian cells of their own within each level's range", () => {
    for (let level = 0; level < GRID_LEVELS; level++) {
      const columns = columnsOf(level);
      const rows = (columns - 1) / 2 + 1;
      expect(cellOf(level, 90, 180), `level ${level}`).toBe(rows * columns - 1);
      expect(cellOf(level, 90, -180), `level ${level}`).toBe((rows - 1) * columns);
      expect(cellOf(level, -90, 180), `level ${level}`).toBe(columns - 1);
      expect(cellOf(level, -90, -180), `level ${level}`).toBe(0);
    }
    expect(cellOf(3, 90, 180)).toBe(702);
  });

  it("never decreases as latitude or longitude grows, so a point between two edges is between their cells", () => {
    const rng = createRng(11);
    for (let i = 0; i < 20_000; i++) {
      const level = rng.int(0, GRID_LEVELS - 1);
      const lat = onGridLine(rng, -90 + rng.next() * 180, rng.pick(SPACINGS));
      const lng = onGridLine(rng, -180 + rng.next() * 360, rng.pick(SPACINGS));
      const a = rowColumn(level, clamp(lat, -90, 90), clamp(lng, -180, 180));
      const up = rowColumn(level, clamp(lat + 1e-9, -90, 90), clamp(lng + 1e-9, -180, 180));
      expect(up.row).toBeGreaterThanOrEqual(a.row);
      expect(up.column).toBeGreaterThanOrEqual(a.column);
    }
  });
});

describe("covering boxes with grid cells (gridCover)", () => {
  it("covers every point of thousands of boxes of every size, from 0.001° to the whole world", () => {
    const rng = createRng(20_261_124);
    const missing: string[] = [];
    let boxes = 0;
    for (const height of SIZES) {
      for (const width of SIZES) {
        for (let i = 0; i < 12; i++) {
          const box = randomBox(rng, height * (0.5 + rng.next()), width * (0.5 + rng.next()));
          missing.push(...uncovered([box], pointsIn(rng, box, 20)));
          boxes++;
        }
      }
    }
    expect(boxes).toBeGreaterThan(3_000);
    expect(missing.slice(0, 10)).toEqual([]);
  });

  it("covers boxes whose edges lie exactly on 0.01°, 0.1°, 1° and 10° grid lines", () => {
    const rng = createRng(7);
    const missing: string[] = [];
    for (const spacing of SPACINGS) {
      for (let i = 0; i < 400; i++) {
        const cellsHigh = rng.int(0, 8);
        const cellsWide = rng.int(0, 8);
        const south = rng.int(-9000, 9000 - cellsHigh * spacing * 100) / 100;
        const west = rng.int(-18_000, 18_000 - cellsWide * spacing * 100) / 100;
        const box: Box = {
          swLat: onGridLine(rng, south, spacing),
          swLng: onGridLine(rng, west, spacing),
          neLat: onGridLine(rng, south + cellsHigh * spacing, spacing),
          neLng: onGridLine(rng, west + cellsWide * spacing, spacing),
        };
        const fitted: Box = {
          swLat: clamp(box.swLat, -90, 90),
          swLng: clamp(box.swLng, -180, 180),
          neLat: clamp(Math.max(box.neLat, box.swLat), -90, 90),
          neLng: clamp(Math.max(box.neLng, box.swLng), -180, 180),
        };
        missing.push(...uncovered([fitted], pointsIn(rng, fitted, 10)));
      }
    }
    expect(missing.slice(0, 10)).toEqual([]);
  });

  it("covers boxes touching the poles and the antimeridian, including points exactly on ±90 and ±180", () => {
    const rng = createRng(3);
    const edgeBoxes: Box[] = [
      WORLD,
      { swLat: 89.999, swLng: -180, neLat: 90, neLng: 180 },
      { swLat: 89.999, swLng: 179.999, neLat: 90, neLng: 180 },
      { swLat: -90, swLng: -180, neLat: -89.999, neLng: -179.999 },
      { swLat: -90, swLng: -180, neLat: -60, neLng: 180 },
      { swLat: 60, swLng: 170, neLat: 90, neLng: 180 },
      { swLat: -16.9, swLng: 179.9, neLat: -16.8, neLng: 180 },
      { swLat: -16.9, swLng: -180, neLat: -16.8, neLng: -179.9 },
      { swLat: 0, swLng: 180, neLat: 0, neLng: 180 },
      { swLat: 90, swLng: -180, neLat: 90, neLng: -180 },
      { swLat: -90, swLng: 180, neLat: -90, neLng: 180 },
      { swLat: -0.01, swLng: -0.01, neLat: 0.01, neLng: 0.01 },
      { swLat: 89.99, swLng: 179.99, neLat: 90, neLng: 180 },
      { swLat: 80, swLng: 170, neLat: 90, neLng: 180 },
    ];
    const missing = edgeBoxes.flatMap((box) => uncovered([box], pointsIn(rng, box, 200)));
    expect(missing.slice(0, 10)).toEqual([]);
  });

  it("covers both halves of a box split at the antimeridian", () => {
    const rng = createRng(5);
    const missing: string[] = [];
    for (let i = 0; i < 500; i++) {
      const height = rng.pick(SIZES.slice(0, 12)) * (0.5 + rng.next());
      const swLat = clamp(-90 + rng.next() * 180, -90, 90 - Math.min(180, height));
      const neLat = clamp(swLat + height, swLat, 90);
      const west = 180 - rng.pick(SIZES.slice(0, 13)) * rng.next();
      const east = -180 + rng.pick(SIZES.slice(0, 13)) * rng.next();
      const halves: Box[] = [
        { swLat, swLng: clamp(west, -180, 180), neLat, neLng: 180 },
        { swLat, swLng: -180, neLat, neLng: clamp(east, -180, 180) },
      ];
      missing.push(
        ...uncovered(halves, [...pointsIn(rng, halves[0]!, 10), ...pointsIn(rng, halves[1]!, 10)]),
      );
      const { level } = gridCover(halves);
      expect(level).toBe(expectedLevel(halves));
    }
    expect(missing.slice(0, 10)).toEqual([]);
  });

  it("picks the finest level needing at most 32 cells, else the 10° grid, and lists each cell once", () => {
    const rng = createRng(99);
    const wrong: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const box = randomBox(rng, rng.pick(SIZES) * (0.5 + rng.next()), rng.pick(SIZES) * (0.5 + rng.next()));
      const { level, cells } = gridCover([box]);
      const expected = expectedLevel([box]);
      if (level !== expected) wrong.push(`${JSON.stringify(box)}: level ${level}, expected ${expected}`);
      if (cells.length !== cellsSpanned(level, box)) {
        wrong.push(`${JSON.stringify(box)}: ${cells.length} cells, spans ${cellsSpanned(level, box)}`);
      }
      if (level < GRID_LEVELS - 1 && cells.length > MAX_CELLS) {
        wrong.push(`${JSON.stringify(box)}: ${cells.length} cells at level ${level}`);
      }
      if (new Set(cells).size !== cells.length) wrong.push(`${JSON.stringify(box)}: a cell listed twice`);
      const last = columnsOf(level) * ((columnsOf(level) - 1) / 2 + 1) - 1;
      if (cells.some((c) => !Number.isInteger(c) || c < 0 || c > last)) {
        wrong.push(`${JSON.stringify(box)}: a cell outside 0..${last}`);
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it("covers the whole world with the 703 cells of the 10° grid", () => {
    const { level, cells } = gridCover([WORLD]);
    expect(level).toBe(3);
    expect(cells.length).toBeLessThanOrEqual(703);
    expect(new Set(cells).size).toBe(703);
  });

  it("uses one 0.01° cell for a tiny box inside it, and a few for a city-sized one", () => {
    expect(gridCover([{ swLat: 48.8561, swLng: 2.3521, neLat: 48.8569, neLng: 2.3529 }])).toEqual({
      level: 0,
      cells: [cellOf(0, 48.8566, 2.3522)],
    });
    const city = gridCover([{ swLat: 48.8, swLng: 2.25, neLat: 48.92, neLng: 2.42 }]);
    expect(city.level).toBe(1);
    expect(city.cells.length).toBeLessThanOrEqual(MAX_CELLS);
  });
});
