// Geometry of place searches on a spherical Earth: radius centres, chords and boxes.
import type { Box } from "../../db/grid.ts";

const EARTH_RADIUS_KM = 6371;

/** The centre of a radius search on the unit sphere, as the values `cx`, `cy`, `cz`. */
export function sphere(near: { lat: number; lng: number }) {
  const lat = (near.lat * Math.PI) / 180;
  const lng = (near.lng * Math.PI) / 180;
  return { cx: Math.cos(lat) * Math.cos(lng), cy: Math.cos(lat) * Math.sin(lng), cz: Math.sin(lat) };
}

/** Chord on the unit sphere ↔ great-circle kilometres. */
export const chordOf = (km: number) => 2 * Math.sin(km / (2 * EARTH_RADIUS_KM));
export const kmOf = (chord: number) => 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, chord / 2));

/**
 * A box as boxes that do not cross the antimeridian. Longitudes 180 and -180 are one meridian and
 * a listing may be stored at either: a box reaching it on one side takes the other side too.
 */
export function boxes(b: Box): Box[] {
  // Only longitudes outside the range are wrapped: the arithmetic would move exact edges.
  const wrap = (lng: number) => (lng >= -180 && lng <= 180 ? lng : ((((lng + 180) % 360) + 360) % 360) - 180);
  const sw = wrap(b.swLng);
  const ne = wrap(b.neLng);
  const list =
    b.neLng - b.swLng >= 360
      ? [{ ...b, swLng: -180, neLng: 180 }]
      : sw <= ne
        ? [{ ...b, swLng: sw, neLng: ne }]
        : [
            { ...b, swLng: sw, neLng: 180 },
            { ...b, swLng: -180, neLng: ne },
          ];
  const reaches = (lng: number) => list.some((x) => x.swLng <= lng && lng <= x.neLng);
  if (reaches(180) && !reaches(-180)) list.push({ ...b, swLng: -180, neLng: -180 });
  if (reaches(-180) && !reaches(180)) list.push({ ...b, swLng: 180, neLng: 180 });
  return list;
}

/** The box round a circle of `km` about `near` on the sphere (the whole band when it holds a pole). */
export function boxAround(near: { lat: number; lng: number }, km: number): Box[] {
  const angle = km / EARTH_RADIUS_KM;
  // A hair wider than exact, so float rounding never leaves out a point on the circle.
  const dLat = (angle * 180) / Math.PI + 1e-9;
  const swLat = Math.max(-90, near.lat - dLat);
  const neLat = Math.min(90, near.lat + dLat);
  const cosLat = Math.cos((near.lat * Math.PI) / 180);
  if (swLat <= -90 || neLat >= 90 || Math.sin(angle) >= cosLat) {
    return [{ swLat, swLng: -180, neLat, neLng: 180 }];
  }
  const dLng = (Math.asin(Math.sin(angle) / cosLat) * 180) / Math.PI + 1e-9;
  return boxes({ swLat, swLng: near.lng - dLng, neLat, neLng: near.lng + dLng });
}
