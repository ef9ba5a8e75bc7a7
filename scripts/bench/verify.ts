import { daysBetween } from "../../src/domain/bookings/local-time.ts";

/**
 * Answer checks: an app answer against its own request (filters hold, order holds, a cursor page
 * starts after its cursor), and an app answer against its floor's rows for the same request.
 */

interface SearchItem {
  id: string;
  title: string;
  city: string;
  country: string;
  location: { lat: number; lng: number };
  maxGuests: number;
  nightlyPrice: number;
  rating: { average: number | null };
  distanceKm?: number;
  stay?: { nights: number; total: number };
}

export function verifyGet(path: string, body: string): string | undefined {
  const id = path.split("/").pop();
  const parsed = JSON.parse(body) as { id?: string; status?: string };
  if (parsed.id !== id) return `asked for ${id}, got ${parsed.id}`;
  if (parsed.status !== "published") return `listing ${id} is ${parsed.status}`;
  return undefined;
}

function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** What each item must satisfy, from the request's query. */
function itemProblem(query: URLSearchParams, item: SearchItem): string | undefined {
  const where = `item ${item.id} (${item.city}/${item.country}, ${item.nightlyPrice}, ${item.location.lat},${item.location.lng})`;
  const city = query.get("city");
  const country = query.get("country");
  const q = query.get("q");
  const minPrice = Number(query.get("minPrice") ?? 0);
  const maxPrice = Number(query.get("maxPrice") ?? Number.POSITIVE_INFINITY);
  const near = query.get("near")?.split(",").map(Number);
  const bbox = query.get("bbox")?.split(",").map(Number);
  if (city && item.city.toLowerCase() !== city.toLowerCase()) return `${where} is not in ${city}`;
  if (country && item.country !== country) return `${where} is not in ${country}`;
  if (q && !`${item.title} ${item.city}`.toLowerCase().includes(q.toLowerCase()))
    return `${where} does not mention "${q}"`;
  if (item.maxGuests < Number(query.get("guests") ?? 0)) return `${where} sleeps ${item.maxGuests}`;
  if (item.nightlyPrice < minPrice || item.nightlyPrice > maxPrice)
    return `${where} outside ${minPrice}–${maxPrice}`;
  const checkIn = query.get("checkIn");
  const checkOut = query.get("checkOut");
  if (checkIn && checkOut) {
    const nights = daysBetween(checkIn, checkOut);
    if (item.stay?.nights !== nights || !(item.stay.total > 0))
      return `${where} has no price for ${nights} nights`;
  }
  if (near && near.length === 2) {
    const radiusKm = Number(query.get("radiusKm") ?? 10);
    const distance = haversineKm({ lat: near[0] ?? 0, lng: near[1] ?? 0 }, item.location);
    if (distance > radiusKm + 0.01)
      return `${where} is ${distance.toFixed(2)} km from near=${near.join(",")}`;
  }
  if (bbox && bbox.length === 4) {
    const [s, w, n, e] = bbox as [number, number, number, number];
    const { lat, lng } = item.location;
    if (lat < s || lat > n || lng < w || lng > e) return `${where} is outside bbox=${bbox.join(",")}`;
  }
  return undefined;
}

/**
 * Whether `b` may follow `a` in the order of `sort`. Newest first is read from the ids: the bench's
 * listings have UUIDv7 ids made from their creation time, so newer is a greater id.
 */
function inOrder(sort: string, a: SearchItem, b: SearchItem): boolean {
  switch (sort) {
    case "price_asc":
      return a.nightlyPrice < b.nightlyPrice || (a.nightlyPrice === b.nightlyPrice && a.id < b.id);
    case "price_desc":
      return a.nightlyPrice > b.nightlyPrice || (a.nightlyPrice === b.nightlyPrice && a.id > b.id);
    case "newest":
      return a.id > b.id;
    case "rating":
      return (a.rating.average ?? -1) >= (b.rating.average ?? -1);
    case "distance":
      return (a.distanceKm ?? 0) <= (b.distanceKm ?? 0);
    default:
      return false;
  }
}

/** The first item of a cursor page comes after the cursor's position (price and distance orders). */
function afterCursor(cursor: string, first: SearchItem): string | undefined {
  const position = JSON.parse(Buffer.from(cursor, "base64url").toString()) as {
    sort: string;
    key: number;
    id: string;
  };
  const at = `(${position.key}, ${position.id})`;
  if (position.sort === "price_asc" || position.sort === "price_desc") {
    const last = { ...first, nightlyPrice: position.key, id: position.id };
    if (!inOrder(position.sort, last, first))
      return `page after cursor ${at} starts at (${first.nightlyPrice}, ${first.id})`;
  }
  if (position.sort === "distance") {
    const km = 2 * 6371 * Math.asin(Math.min(1, position.key / 2));
    if ((first.distanceKm ?? 0) < km - 0.001)
      return `page after cursor ${at} starts ${first.distanceKm} km away`;
  }
  return undefined;
}

/** The answer matches its own query. */
export function verifySearch(path: string, body: string): string | undefined {
  const query = new URLSearchParams(path.slice(path.indexOf("?") + 1));
  const items = (JSON.parse(body) as { items?: SearchItem[] }).items;
  if (!Array.isArray(items)) return "no items array";
  if (items.length > Number(query.get("limit") ?? 20)) return `${items.length} items, more than the limit`;
  for (const item of items) {
    const problem = itemProblem(query, item);
    if (problem) return problem;
  }
  const sort = query.get("sort") ?? (query.has("near") ? "distance" : "price_asc");
  for (let i = 1; i < items.length; i++) {
    const a = items[i - 1];
    const b = items[i];
    if (a && b && !inOrder(sort, a, b)) return `items out of ${sort} order at ${i}`;
  }
  const cursor = query.get("cursor");
  const first = items[0];
  return cursor && first ? afterCursor(cursor, first) : undefined;
}

/**
 * The app answered what its floor's rows hold: the same listings in the same order (a floor row
 * is an array of column values, and reads one row more than a page when there is a next page).
 */
export function sameAsFloor(appBody: string, floorBody: string): string | undefined {
  const app = JSON.parse(appBody) as { id?: string; items?: Array<{ id: string }> };
  const rows = (JSON.parse(floorBody) as { items?: unknown[][] }).items;
  if (!Array.isArray(rows)) return "the floor answered no rows";
  const ids = app.items ? app.items.map((item) => item.id) : [app.id];
  const extra = rows.length - ids.length;
  if (extra !== 0 && !(extra === 1 && app.items))
    return `app: ${ids.length} items, floor: ${rows.length} rows`;
  const differs = ids.findIndex((id, i) => !rows[i]?.includes(id));
  return differs < 0 ? undefined : `item ${differs} is ${ids[differs]} in the app, not in the floor's row`;
}
