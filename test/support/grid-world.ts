import type { Database } from "../../src/db/database.ts";
import { propertyTypes } from "../../src/domain/listings/vocabulary.ts";
import { signUp } from "./auth-helpers.ts";
import { insertListings, insertUser, type ListingOverrides } from "./factories.ts";
import { destination, rim } from "./geo.ts";
import {
  awkwardBoxes,
  beyond,
  big,
  circles,
  cityBoxes,
  corner,
  edgeProbes,
  SEED,
  SEEDED,
  spot,
} from "./grid-places.ts";
import { createListing } from "./listing-factory.ts";
import { createRng, type Rng } from "./prng.ts";
import { seedListings } from "./seed.ts";
import type { TestApp } from "./test-app.ts";

/**
 * The data the grid-search tests search: the benchmark's seeded catalogue plus listings placed on
 * the awkward spots (cell boundaries, the poles, the antimeridian, the rim of each searched
 * circle; see grid-places.ts). Every file builds the same world in its own database: the PRNG
 * makes it the same, ids included.
 */

/** A lowercase UUIDv7-shaped id from the PRNG: the same world, the same ids. */
function uuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16)).join("");
  return `0199${hex.slice(4, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Values lying exactly on grid lines, as typed and as computed, and the extremes. */
function edgeValues(rng: Rng, limit: 90 | 180): number[] {
  const values = [-limit, limit, 0, -0, limit - 0.01, -limit + 0.01, limit - 1e-9, -limit + 1e-9];
  for (const spacing of [0.01, 0.1, 1, 10]) {
    for (let i = 0; i < 6; i++) {
      const k = Math.round(((rng.next() * 2 - 1) * limit) / spacing);
      values.push(k * spacing, Number((k * spacing).toFixed(2)));
    }
  }
  return values.filter((v) => v >= -limit && v <= limit);
}

/**
 * Listings at `places` with few distinct prices, ratings and instants, so that ties are broken by
 * id everywhere; published or of a random status. Their ids, in order.
 */
async function placeListings(
  db: Database,
  rng: Rng,
  hostId: string,
  places: Array<[number, number]>,
  status?: "published",
): Promise<string[]> {
  const rows: ListingOverrides[] = places.map(([lat, lng]) => {
    const ratingCount = rng.chance(0.3) ? 0 : rng.int(1, 6);
    const createdAt = new Date(Date.UTC(2026, 0, 1) + rng.int(0, 40) * 3_600_000);
    return {
      id: uuid(rng),
      lat,
      lng,
      nightlyPrice: rng.pick([5_000, 7_500, 10_000, 12_500, rng.int(3_000, 90_000)]),
      status:
        status ??
        rng.pick(["published", "published", "published", "published", "draft", "unlisted"] as const),
      ratingCount,
      ratingSum: ratingCount * rng.int(3, 5),
      createdAt,
    };
  });
  return (await insertListings(db, hostId, rows)).map((r) => r.id);
}

/** Every spot the world places a listing on, besides the seeded catalogue. */
function awkwardPlaces(rng: Rng): Array<[number, number]> {
  const places: Array<[number, number]> = [];
  // Every combination of edge latitudes and longitudes (a sample: there are a few thousand).
  const lats = edgeValues(rng, 90);
  const lngs = edgeValues(rng, 180);
  for (const lat of lats) for (const lng of lngs) if (rng.chance(0.12)) places.push([lat, lng]);
  for (const lat of [90, -90]) for (const lng of [180, -180, 0]) places.push([lat, lng]);
  // Anywhere on Earth.
  for (let i = 0; i < 300; i++) places.push([-90 + rng.next() * 180, -180 + rng.next() * 360]);
  // Crowded cells around a 0.01° corner of the biggest city, on and beside its lines.
  for (let i = 0; i < 60; i++) {
    const lat = corner.lat + (rng.next() - 0.5) * rng.pick([0.001, 0.002, 0.08]);
    const lng = corner.lng + (rng.next() - 0.5) * rng.pick([0.001, 0.002, 0.08]);
    places.push([lat, lng], [corner.lat, lng], [lat, corner.lng]);
  }
  // Each box's corners and edges, exactly.
  for (const b of [...cityBoxes, ...awkwardBoxes]) {
    const midLat = (b.swLat + b.neLat) / 2;
    places.push([b.swLat, b.swLng], [b.neLat, b.neLng], [b.swLat, b.neLng], [b.neLat, b.swLng]);
    places.push([midLat, b.swLng], [midLat, b.neLng], [b.swLat, (b.swLng + b.neLng) / 2]);
  }
  // Either side of the 1° gap (lng 4 to 5) of the box across the antimeridian spanning all but it.
  for (let i = 0; i < 40; i++) places.push([-60 + rng.next() * 120, -1 + rng.next() * 7]);
  // Round the antimeridian and the poles, where the box searches split or widen.
  for (let i = 0; i < 80; i++) {
    places.push([-20 + rng.next() * 10, rng.chance(0.5) ? 175 + rng.next() * 5 : -180 + rng.next() * 5]);
    places.push([80 + rng.next() * 10, -180 + rng.next() * 360]);
    places.push([-90 + rng.next() * 5, -180 + rng.next() * 360]);
  }
  for (const c of circles) places.push(...rim(c), [c.lat, c.lng]);
  return places;
}

export interface GridWorld {
  db: Database;
  /** One listing per `edgeProbes` spot, in order. */
  edgeProbeIds: string[];
  /** The listings stored at (-30, 180) and (-30, -180): one place. */
  antimeridianIds: string[];
}

/** The seeded catalogue and the awkward spots, in this test file's own database. */
export async function seedGridWorld(t: TestApp): Promise<GridWorld> {
  const db = t.db.database.connect().db;
  await seedListings(db, { count: SEEDED, seed: SEED });
  const hostId = (await insertUser(db)).id;
  const rng = createRng(2026);
  await placeListings(db, rng, hostId, awkwardPlaces(rng));
  const edgeProbeIds = await placeListings(db, rng, hostId, edgeProbes, "published");
  const onMeridian: Array<[number, number]> = [
    [-30, 180],
    [-30, -180],
  ];
  const antimeridianIds = await placeListings(db, rng, hostId, onMeridian, "published");
  // A few through the API too, as a host would create them.
  const user = await signUp(t);
  for (const [lat, lng] of [
    [90, 180],
    [-90, -180],
    [0, 180],
    [0, -180],
    [corner.lat, corner.lng],
    [-16.85, 180],
  ] as const) {
    await createListing(t, user.accessToken, { location: { lat, lng }, nightlyPrice: 7_500 });
  }
  return { db, edgeProbeIds, antimeridianIds };
}

/**
 * What the nearest-first checks add: the listings at `spot` (7) and `beyond` (3), single ones
 * nearer and farther, and 300 listings of every kind round the biggest city, some sharing a spot,
 * so that each filter leaves some out and some in.
 */
export async function seedNearestFirstExtras(t: TestApp, world: GridWorld) {
  const { db } = world;
  // Some through the API (time-ordered UUIDv7 ids, created first), some straight into the table
  // with random ids: the id order is neither the order of creation nor of storage.
  const user = await signUp(t);
  const spotIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const created = await createListing(t, user.accessToken, {
      location: spot,
      nightlyPrice: 7_500 + i * 1_000,
    });
    spotIds.push(created.id);
  }
  const rng = createRng(4711);
  const atSpot = (where: [number, number], n: number) => Array.from({ length: n }, () => where);
  spotIds.push(...(await placeListings(db, rng, user.id, atSpot([spot.lat, spot.lng], 4), "published")));
  const beyondIds = await placeListings(db, rng, user.id, atSpot(beyond, 3), "published");
  const shared = destination(big, 30, 200);
  const varied: ListingOverrides[] = Array.from({ length: 300 }, (_, i) => {
    const [lat, lng] = i < 8 ? shared : destination(big, 100 * rng.next(), rng.next() * 360);
    return {
      id: uuid(rng),
      lat,
      lng,
      propertyType: rng.pick(propertyTypes),
      maxGuests: rng.int(1, 10),
      instantBook: rng.chance(0.4),
      nightlyPrice: rng.pick([5_000, 7_500, 10_000, 12_500, 20_000, rng.int(3_000, 30_000)]),
      status: rng.pick(["published", "published", "published", "draft", "unlisted"] as const),
      createdAt: new Date(Date.UTC(2026, 1, 1) + rng.int(0, 40) * 3_600_000),
    };
  });
  await insertListings(db, user.id, varied);
  // Single listings nearer and farther than either group, and one just outside 20 km of the spot.
  const singles: Array<[number, number]> = [
    [12.3466, -40.1234],
    [12.3456, -40.1104],
    [12.4, -40.05],
    [12.3456 + 20.5 / 111.2, -40.1234],
  ];
  await placeListings(db, rng, user.id, singles, "published");
  return { spotIds, beyondIds };
}
