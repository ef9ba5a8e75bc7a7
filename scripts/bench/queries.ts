import { addDays } from "../../src/domain/bookings/local-time.ts";
import type { SearchSort } from "../../src/domain/listings/search-input.ts";
import type { Rng } from "../../test/support/prng.ts";
import { SEEDED_CHECK_INS } from "./booking-data.ts";

/**
 * The requests of the search scenarios: a list of distinct paths per scenario, drawn from a seeded
 * generator (same data, same seed: same requests), spread over the biggest cities.
 */

export interface BigCity {
  country: string;
  city: string;
  /** Published listings in the city. */
  listings: number;
  /** Mean position of its listings: the generator spreads them over a disc round the centre. */
  lat: number;
  lng: number;
}

export type Place = "city" | "box" | "radius";

export interface Variant {
  /** Absent: the client's default (distance with `near`, else price_asc). */
  sort?: SearchSort;
  price?: boolean;
  text?: boolean;
  amenities?: boolean;
  /** A stay of 2–5 nights starting where the bench seeded booked and blocked nights. */
  dates?: boolean;
}

/** Words of the generated titles (and a phrase), for `q`. */
const WORDS = [
  "loft",
  "villa",
  "studio",
  "cottage",
  "garden",
  "view",
  "river",
  "station",
  "sunny",
  "old town",
];
/** Common, rare and combined amenities (a page of rare ones means reading far down an order). */
const AMENITY_SETS = [
  "wifi",
  "kitchen,wifi",
  "pool",
  "washer,workspace",
  "hot_tub",
  "air_conditioning,free_parking",
  "pets_allowed",
  "self_check_in,tv",
  "gym",
  "crib,heating",
];
const BOX_HALF_SIDES_KM = [2, 4, 6];
const RADII_KM = [3, 5, 8];
/** How far from a city's centre a box or radius search is centred. */
const CENTRE_JITTER_KM = 3;
const KM_PER_DEGREE = 111.32;

/**
 * Up to `count` distinct search paths of one shape, cycling through `cities`. Where the shape
 * leaves nothing to vary (a city and a sort), there are only as many as there are cities. Dates
 * are counted from `today`.
 */
export function searchPaths(
  place: Place,
  variant: Variant,
  cities: BigCity[],
  rng: Rng,
  count: number,
  today = new Date().toISOString().slice(0, 10),
): string[] {
  const paths = new Set<string>();
  for (let i = 0; paths.size < count && i < count * 4; i++) {
    const city = cities[i % cities.length];
    if (!city) break;
    const params = placeParams(place, city, rng);
    if (variant.sort) params.set("sort", variant.sort);
    if (variant.price) {
      const min = rng.int(30, 150) * 100;
      params.set("minPrice", String(min));
      params.set("maxPrice", String(min + rng.int(40, 300) * 100));
    }
    if (variant.text) params.set("q", rng.pick(WORDS));
    if (variant.amenities) params.set("amenities", rng.pick(AMENITY_SETS));
    if (variant.dates) {
      const checkIn = addDays(today, rng.int(SEEDED_CHECK_INS.from, SEEDED_CHECK_INS.to));
      params.set("checkIn", checkIn);
      params.set("checkOut", addDays(checkIn, rng.int(2, 5)));
    }
    params.set("limit", "20");
    paths.add(`/v1/listings?${params}`);
  }
  return [...paths];
}

function placeParams(place: Place, city: BigCity, rng: Rng): URLSearchParams {
  if (place === "city") return new URLSearchParams({ city: city.city, country: city.country });
  const { lat, lng } = jittered(city, rng);
  if (place === "radius") {
    return new URLSearchParams({ near: `${fixed(lat)},${fixed(lng)}`, radiusKm: String(rng.pick(RADII_KM)) });
  }
  const halfLat = rng.pick(BOX_HALF_SIDES_KM) / KM_PER_DEGREE;
  const halfLng = halfLat / Math.cos((lat * Math.PI) / 180);
  const bbox = [lat - halfLat, lng - halfLng, lat + halfLat, lng + halfLng].map(fixed).join(",");
  return new URLSearchParams({ bbox });
}

function jittered(city: BigCity, rng: Rng): { lat: number; lng: number } {
  const dLat = ((rng.next() * 2 - 1) * CENTRE_JITTER_KM) / KM_PER_DEGREE;
  const dLng = ((rng.next() * 2 - 1) * CENTRE_JITTER_KM) / KM_PER_DEGREE;
  return { lat: city.lat + dLat, lng: city.lng + dLng / Math.cos((city.lat * Math.PI) / 180) };
}

const fixed = (value: number) => value.toFixed(5);
