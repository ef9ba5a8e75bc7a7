import type { Circle, Place } from "./geo.ts";
import { generateCities } from "./seed.ts";

/**
 * Where the grid-search tests look: the boxes and circles they search (in the biggest city of the
 * seeded catalogue, across the antimeridian, round the poles) and the spots where listings are
 * placed on purpose. grid-world.ts puts listings there.
 */

export const SEEDED = 2_500;
/** The generator's seed: `big` below must be a city of this very data set. */
export const SEED = 99;
export const sorts = ["price_asc", "price_desc", "newest", "rating"] as const;
export type Sort = (typeof sorts)[number];

const biggest = generateCities(SEED)[0];
if (!biggest) throw new Error("no cities generated");
export const big = biggest;
/** A point on 0.01° grid lines in the biggest city, where the densest cells are. */
export const corner = { lat: Math.round(big.lat * 100) / 100, lng: Math.round(big.lng * 100) / 100 };

/** A searched box, and the page size its checks read it with. */
export interface Box extends Place {
  limit: number;
}

/** Boxes in and around the biggest city, and the world. */
export const cityBoxes: Box[] = [
  {
    name: "tiny (0.001°) across 0.01° cell lines",
    swLat: corner.lat - 0.0005,
    swLng: corner.lng - 0.0005,
    neLat: corner.lat + 0.0005,
    neLng: corner.lng + 0.0005,
    limit: 5,
  },
  {
    name: "~10 km",
    swLat: big.lat - 0.045,
    swLng: big.lng - 0.065,
    neLat: big.lat + 0.045,
    neLng: big.lng + 0.065,
    limit: 20,
  },
  {
    name: "~50 km",
    swLat: big.lat - 0.22,
    swLng: big.lng - 0.3,
    neLat: big.lat + 0.22,
    neLng: big.lng + 0.3,
    limit: 50,
  },
  {
    name: "~500 km",
    swLat: big.lat - 2.2,
    swLng: big.lng - 3,
    neLat: big.lat + 2.2,
    neLng: big.lng + 3,
    limit: 5,
  },
  {
    name: "edges on 0.01° lines",
    swLat: corner.lat - 0.03,
    swLng: corner.lng - 0.02,
    neLat: corner.lat + 0.02,
    neLng: corner.lng + 0.04,
    limit: 20,
  },
  { name: "edges on 10° lines", swLat: 30, swLng: -10, neLat: 50, neLng: 10, limit: 50 },
  { name: "whole world", swLat: -90, swLng: -180, neLat: 90, neLng: 180, limit: 5 },
];

/** Boxes across the antimeridian or reaching a pole, where a box search splits or widens. */
export const awkwardBoxes: Box[] = [
  { name: "across the antimeridian", swLat: -20, swLng: 175, neLat: -10, neLng: -175, limit: 20 },
  { name: "the north polar cap", swLat: 80, swLng: -180, neLat: 90, neLng: 180, limit: 50 },
  { name: "the south pole, western half", swLat: -90, swLng: -180, neLat: -85, neLng: 0, limit: 5 },
  { name: "across the antimeridian, all but 1°", swLat: -60, swLng: 5, neLat: 60, neLng: 4, limit: 20 },
  { name: "up to lat 90", swLat: 60, swLng: 170, neLat: 90, neLng: 179.5, limit: 50 },
];

export const circles: Circle[] = [
  { name: "5 km in the biggest city", lat: big.lat, lng: big.lng, km: 5 },
  { name: "40 km round the biggest city", lat: big.lat, lng: big.lng, km: 40 },
  { name: "100 km round the biggest city", lat: big.lat, lng: big.lng, km: 100 },
  { name: "on a 0.01° corner", lat: corner.lat, lng: corner.lng, km: 0.1 },
  { name: "across the antimeridian", lat: -16.85, lng: 179.95, km: 50 },
  { name: "at lng 180 on the equator", lat: 0, lng: 180, km: 30 },
  { name: "at lng -180 on the equator", lat: 0, lng: -180, km: 30 },
  { name: "holding the north pole", lat: 89.6, lng: 30, km: 100 },
  { name: "near the north pole, not holding it", lat: 88.9, lng: -120, km: 100 },
  { name: "holding the south pole", lat: -89.95, lng: 0, km: 10 },
];

/** Longitudes a box edge is often drawn on; each gets a listing of its own, alone in the ocean. */
const EDGE_LNGS = [2.35, 13.4, -73.98, 139.69, -101.33, 151.21];
export const edgeProbes: Array<[number, number]> = EDGE_LNGS.map((lng, i) => [
  Number((-47 - i / 10).toFixed(1)),
  lng,
]);

/** Where several listings share one spot, alone in the Atlantic, far from every circle. */
export const spot = { lat: 12.3456, lng: -40.1234 };
/** A second, smaller group at one spot a little farther on, so two tie groups follow each other. */
export const beyond: [number, number] = [12.3456, -40.0934];
