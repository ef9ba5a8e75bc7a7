/**
 * Geometry for the grid-search tests, done here independently of the code under test: great-circle
 * distances, points on a circle's rim, and which listings a box holds.
 */

export const EARTH_RADIUS_KM = 6371;

export interface Place {
  name: string;
  swLat: number;
  swLng: number;
  neLat: number;
  neLng: number;
}

export interface Circle {
  name: string;
  lat: number;
  lng: number;
  km: number;
}

export const rad = (degrees: number) => (degrees * Math.PI) / 180;
export const deg = (radians: number) => (radians * 180) / Math.PI;
export const wrapLng = (lng: number) => (lng > 180 ? lng - 360 : lng < -180 ? lng + 360 : lng);

/** Great-circle distance (haversine), in kilometres. */
export function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const a =
    Math.sin(rad(lat2 - lat1) / 2) ** 2 +
    Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lng2 - lng1) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The point `km` away from a centre along `bearing` (degrees from north). */
export function destination(c: { lat: number; lng: number }, km: number, bearing: number): [number, number] {
  const d = km / EARTH_RADIUS_KM;
  const φ1 = rad(c.lat);
  const θ = rad(bearing);
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(θ));
  const λ = Math.atan2(Math.sin(θ) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
  return [Math.max(-90, Math.min(90, deg(φ2))), wrapLng(c.lng + deg(λ))];
}

/** Points on, just inside and just outside a circle, including its westmost and eastmost points. */
export function rim(c: Circle): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (const scale of [1, 1 - 1e-6, 1 + 1e-6]) {
    for (let bearing = 0; bearing < 360; bearing += 45) points.push(destination(c, c.km * scale, bearing));
    const d = (c.km * scale) / EARTH_RADIUS_KM;
    const cosLat = Math.cos(rad(c.lat));
    if (Math.sin(d) < cosLat) {
      const lat = deg(Math.asin(Math.sin(rad(c.lat)) / Math.cos(d)));
      const dLng = deg(Math.asin(Math.sin(d) / cosLat));
      points.push([lat, wrapLng(c.lng - dLng)], [lat, wrapLng(c.lng + dLng)]);
    }
  }
  return points;
}

/**
 * Inclusive on every edge; a box whose west edge is east of its east edge crosses the antimeridian.
 * Longitudes 180 and -180 are one meridian: a listing on it is in a box reaching either side.
 */
export function inBox(p: Place, lat: number, lng: number): boolean {
  if (lat < p.swLat || lat > p.neLat) return false;
  const within = (x: number) =>
    p.swLng <= p.neLng ? x >= p.swLng && x <= p.neLng : x >= p.swLng || x <= p.neLng;
  return Math.abs(lng) === 180 ? within(180) || within(-180) : within(lng);
}

/** A circle's centre on the unit sphere, and its radius as a chord: how the search measures. */
export function chordCircle(c: Circle): { centre: [number, number, number]; chord: number } {
  const lat = rad(c.lat);
  const lng = rad(c.lng);
  return {
    centre: [Math.cos(lat) * Math.cos(lng), Math.cos(lat) * Math.sin(lng), Math.sin(lat)],
    chord: 2 * Math.sin(c.km / (2 * EARTH_RADIUS_KM)),
  };
}

export const kmOfChord = (chord: number) => 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, chord / 2));
