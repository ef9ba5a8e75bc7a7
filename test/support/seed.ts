import { sql } from "drizzle-orm";
import type { Database } from "../../src/db/database.ts";
import { users } from "../../src/db/schema/identity.ts";
import { listings } from "../../src/db/schema/listings.ts";
import {
  type Amenity,
  amenityNames,
  cancellationPolicies,
  listingStatuses,
  propertyTypes,
} from "../../src/domain/listings/vocabulary.ts";
import { createRng, hashString, type Rng, zipfSampler } from "./prng.ts";

/**
 * The benchmark's data set: a few hundred generated cities with a Zipf-like share of listings
 * (a few cities hold most of them, like real marketplaces), a few thousand hosts, and listings
 * whose prices, sizes, amenities and ages look like a real catalogue. Everything derives from
 * one seed: same seed, same rows (ids included), no external data.
 */

export type ListingRow = typeof listings.$inferInsert;
export type HostRow = typeof users.$inferInsert;

export const DEFAULT_SEED = 20_261_124;
export const CITY_COUNT = 300;
/** Exponent of the city popularity law: the top 10% of 300 cities get ~75% of listings. */
export const CITY_ZIPF_EXPONENT = 1.2;
/** Every bench host's e-mail ends with this, so `--reseed` can remove exactly what it created. */
export const BENCH_EMAIL_DOMAIN = "bench.stayedge.test";
/** The shape `pbkdf2-sha256$<iterations>$<salt>$<hash>` of a real hash, for no password (never verifies). */
export const DUMMY_PASSWORD_HASH =
  "pbkdf2-sha256$100000$YmVuY2gtZHVtbXktc2FsdA$YmVuY2gtZHVtbXktaGFzaC1tYXRjaGVzLW5vdGhpbmc";

/** Listings are created over the two years before this instant (fixed, so the generator is pure). */
const CREATED_UNTIL = Date.UTC(2026, 10, 1);
const TWO_YEARS_MS = 730 * 24 * 3600 * 1000;
export const MIN_PRICE = 3_000;
export const MAX_PRICE = 100_000;
const JITTER_KM = 10;

interface Country {
  code: string;
  currency: string;
  /** Where its cities are placed: [south, north, west, east]. */
  box: [number, number, number, number];
  /** Time zones by longitude: the first whose `untilLng` is above the city's longitude. */
  zones: Array<{ untilLng: number; tz: string }>;
  /** Share of the catalogue's cities. */
  weight: number;
  regions: string[];
}

const countries: Country[] = [
  {
    code: "US",
    currency: "USD",
    box: [29, 47, -122, -72],
    zones: [
      { untilLng: -114, tz: "America/Los_Angeles" },
      { untilLng: -102, tz: "America/Denver" },
      { untilLng: -87, tz: "America/Chicago" },
      { untilLng: 0, tz: "America/New_York" },
    ],
    weight: 14,
    regions: ["CA", "NY", "TX", "FL", "WA", "IL", "CO", "MA"],
  },
  {
    code: "FR",
    currency: "EUR",
    box: [43.3, 50.5, -1.5, 7.2],
    zones: [{ untilLng: 180, tz: "Europe/Paris" }],
    weight: 7,
    regions: ["Île-de-France", "Occitanie", "Bretagne", "Provence"],
  },
  {
    code: "ES",
    currency: "EUR",
    box: [36.8, 43.3, -8.5, 3],
    zones: [{ untilLng: 180, tz: "Europe/Madrid" }],
    weight: 6,
    regions: ["Andalucía", "Cataluña", "Madrid", "Valencia"],
  },
  {
    code: "IT",
    currency: "EUR",
    box: [38, 46.3, 7.5, 16.5],
    zones: [{ untilLng: 180, tz: "Europe/Rome" }],
    weight: 6,
    regions: ["Lazio", "Toscana", "Lombardia", "Sicilia"],
  },
  {
    code: "GB",
    currency: "GBP",
    box: [50.5, 57, -4.5, 1.3],
    zones: [{ untilLng: 180, tz: "Europe/London" }],
    weight: 5,
    regions: ["England", "Scotland", "Wales"],
  },
  {
    code: "DE",
    currency: "EUR",
    box: [47.7, 54.5, 6.5, 14.5],
    zones: [{ untilLng: 180, tz: "Europe/Berlin" }],
    weight: 5,
    regions: ["Bayern", "Berlin", "Hamburg", "Sachsen"],
  },
  {
    code: "JP",
    currency: "JPY",
    box: [33, 43, 130.5, 141.5],
    zones: [{ untilLng: 180, tz: "Asia/Tokyo" }],
    weight: 4,
    regions: ["Tokyo", "Osaka", "Kyoto", "Hokkaido"],
  },
  {
    code: "PT",
    currency: "EUR",
    box: [37, 42, -9, -7],
    zones: [{ untilLng: 180, tz: "Europe/Lisbon" }],
    weight: 3,
    regions: ["Lisboa", "Porto", "Algarve"],
  },
  {
    code: "MX",
    currency: "MXN",
    box: [17, 25, -105, -87],
    zones: [{ untilLng: 180, tz: "America/Mexico_City" }],
    weight: 3,
    regions: ["CDMX", "Jalisco", "Quintana Roo"],
  },
  {
    code: "CA",
    currency: "CAD",
    box: [43.2, 50, -123.5, -63.5],
    zones: [
      { untilLng: -114, tz: "America/Vancouver" },
      { untilLng: -90, tz: "America/Winnipeg" },
      { untilLng: 0, tz: "America/Toronto" },
    ],
    weight: 3,
    regions: ["BC", "ON", "QC"],
  },
  {
    code: "AU",
    currency: "AUD",
    box: [-38, -27, 115, 153],
    zones: [
      { untilLng: 129, tz: "Australia/Perth" },
      { untilLng: 141, tz: "Australia/Adelaide" },
      { untilLng: 180, tz: "Australia/Sydney" },
    ],
    weight: 3,
    regions: ["NSW", "VIC", "QLD", "WA"],
  },
  {
    code: "GR",
    currency: "EUR",
    box: [35.2, 41, 20.5, 26.5],
    zones: [{ untilLng: 180, tz: "Europe/Athens" }],
    weight: 2,
    regions: ["Attica", "Crete", "Cyclades"],
  },
  {
    code: "NL",
    currency: "EUR",
    box: [51.3, 53.3, 3.8, 7],
    zones: [{ untilLng: 180, tz: "Europe/Amsterdam" }],
    weight: 2,
    regions: ["Noord-Holland", "Zuid-Holland", "Utrecht"],
  },
  {
    code: "TH",
    currency: "THB",
    box: [7, 19, 98.5, 104],
    zones: [{ untilLng: 180, tz: "Asia/Bangkok" }],
    weight: 2,
    regions: ["Bangkok", "Phuket", "Chiang Mai"],
  },
  {
    code: "BR",
    currency: "BRL",
    box: [-25, -5, -50, -35],
    zones: [{ untilLng: 180, tz: "America/Sao_Paulo" }],
    weight: 2,
    regions: ["SP", "RJ", "BA"],
  },
  {
    code: "CH",
    currency: "CHF",
    box: [45.9, 47.7, 6.2, 10.4],
    zones: [{ untilLng: 180, tz: "Europe/Zurich" }],
    weight: 1,
    regions: ["Zürich", "Genève", "Valais"],
  },
  {
    code: "SE",
    currency: "SEK",
    box: [55.5, 63, 12, 19],
    zones: [{ untilLng: 180, tz: "Europe/Stockholm" }],
    weight: 1,
    regions: ["Stockholm", "Skåne", "Västra Götaland"],
  },
  {
    code: "NZ",
    currency: "NZD",
    box: [-46, -35, 168, 178],
    zones: [{ untilLng: 180, tz: "Pacific/Auckland" }],
    weight: 1,
    regions: ["Auckland", "Canterbury", "Otago"],
  },
];

export interface City {
  /** Rank in popularity: 0 is the biggest. */
  rank: number;
  name: string;
  country: string;
  region: string;
  currency: string;
  timezone: string;
  lat: number;
  lng: number;
  /** Multiplies the city's median nightly price (0.6–1.7). */
  priceLevel: number;
}

const onsets = ["b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr"];
const vowels = ["a", "e", "i", "o", "u", "ai", "ia", "eo"];
const codas = ["", "", "", "n", "r", "s", "l", "m", "th", "nd"];
const suffixes = ["", "", "", "", "ville", "port", "burg", "mar", "ton", "haven", "polis", "dale"];

function cityName(rng: Rng): string {
  const syllables = rng.chance(0.75) ? 2 : 3;
  let name = "";
  for (let i = 0; i < syllables; i++) name += rng.pick(onsets) + rng.pick(vowels) + rng.pick(codas);
  name += rng.pick(suffixes);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** ~300 made-up cities, biggest first, each with a country, time zone, currency and centre. */
export function generateCities(seed: number = DEFAULT_SEED, count: number = CITY_COUNT): City[] {
  const rng = createRng(hashString(`cities:${seed}`));
  const weights = countries.map((c) => c.weight);
  const seen = new Set<string>();
  const cities: City[] = [];
  while (cities.length < count) {
    const country = countries[rng.weighted(weights)];
    if (!country) throw new Error("unreachable");
    const name = cityName(rng);
    if (name.length > 14 || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    const [south, north, west, east] = country.box;
    const lat = round(south + rng.next() * (north - south), 5);
    const lng = round(west + rng.next() * (east - west), 5);
    const zone = country.zones.find((z) => lng < z.untilLng) ?? country.zones[country.zones.length - 1];
    cities.push({
      rank: cities.length,
      name,
      country: country.code,
      region: rng.pick(country.regions),
      currency: country.currency,
      timezone: zone?.tz ?? "UTC",
      lat,
      lng,
      priceLevel: round(0.6 + rng.next() * 1.1, 3),
    });
  }
  return cities;
}

/** About one host per 30 listings, at least 10, at most 5,000: "a few thousand" for 100,000. */
export function hostCountFor(listingCount: number): number {
  return Math.min(5_000, Math.max(10, Math.round(listingCount / 30)));
}

/** A UUIDv7 (RFC 9562) with the given time and seeded "random" bits: sorts by time like real ids. */
function uuidv7(ms: number, rng: Rng): string {
  const bytes = new Uint8Array(16);
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  for (let i = 6; i < 16; i++) bytes[i] = rng.int(0, 255);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const firstNames = [
  "Ana",
  "Ben",
  "Chloé",
  "Dmitri",
  "Emi",
  "Farah",
  "Gus",
  "Hana",
  "Ivo",
  "Jun",
  "Kai",
  "Lena",
];
const lastNames = [
  "Rossi",
  "Smith",
  "Tanaka",
  "Müller",
  "García",
  "Dubois",
  "Silva",
  "Novak",
  "Berg",
  "Okafor",
];

/** The hosts of a data set of `listingCount` listings (rows for `users`, with a fixed dummy hash). */
export function generateHosts(listingCount: number, seed: number = DEFAULT_SEED): HostRow[] {
  const rng = createRng(hashString(`hosts:${seed}`));
  const hosts: HostRow[] = [];
  const count = hostCountFor(listingCount);
  for (let i = 0; i < count; i++) {
    // Hosts joined before their listings: over the two years before the first listing.
    const createdMs = CREATED_UNTIL - TWO_YEARS_MS - Math.floor(rng.next() * TWO_YEARS_MS);
    const createdAt = new Date(createdMs);
    hosts.push({
      id: uuidv7(createdMs, rng),
      email: `host-${seed}-${String(i).padStart(5, "0")}@${BENCH_EMAIL_DOMAIN}`,
      passwordHash: DUMMY_PASSWORD_HASH,
      name: `${rng.pick(firstNames)} ${rng.pick(lastNames)}`,
      bio: rng.chance(0.5) ? "Bench host. Replies within an hour." : null,
      hostSince: createdAt,
      createdAt,
      updatedAt: createdAt,
    });
  }
  return hosts;
}

const adjectives = ["Sunny", "Quiet", "Charming", "Modern", "Cosy", "Spacious", "Bright", "Historic", "Airy"];
const nouns: Record<(typeof propertyTypes)[number], string[]> = {
  entire_home: ["apartment", "loft", "house", "cottage", "villa", "studio", "townhouse"],
  private_room: ["room", "bedroom", "guest room"],
  shared_room: ["shared room", "bunk in a shared room"],
  hotel_room: ["hotel room", "boutique suite"],
};
const features = [
  "near the old town",
  "with a view",
  "by the river",
  "with a garden",
  "close to the station",
];
const streets = ["Main", "Oak", "Harbour", "Market", "Church", "Mill", "Station", "Park", "Rose", "Castle"];
const streetKinds = ["Street", "Road", "Lane", "Avenue", "Square"];

/** How likely each amenity is, in schema order. */
const amenityOdds: Record<Amenity, number> = {
  wifi: 0.95,
  kitchen: 0.8,
  washer: 0.6,
  dryer: 0.35,
  air_conditioning: 0.45,
  heating: 0.75,
  pool: 0.08,
  hot_tub: 0.06,
  free_parking: 0.4,
  ev_charger: 0.04,
  workspace: 0.45,
  tv: 0.7,
  gym: 0.07,
  breakfast: 0.1,
  pets_allowed: 0.2,
  smoking_allowed: 0.05,
  crib: 0.2,
  bbq_grill: 0.12,
  fireplace: 0.08,
  beach_access: 0.06,
  elevator: 0.25,
  wheelchair_accessible: 0.08,
  self_check_in: 0.5,
  smoke_alarm: 0.85,
  carbon_monoxide_alarm: 0.6,
};

/** Guests a listing sleeps, by property type: mostly 2–4, up to 16 for whole homes. */
function maxGuestsFor(type: (typeof propertyTypes)[number], rng: Rng): number {
  if (type === "shared_room") return rng.int(1, 2);
  if (type === "private_room" || type === "hotel_room") return 1 + rng.weighted([2, 6, 2, 1]);
  return 1 + rng.weighted([3, 30, 12, 20, 8, 9, 4, 5, 1, 3, 1, 2, 0.5, 1, 0.5, 1]);
}

/**
 * The listings of the data set, generated lazily (100,000 rows need not sit in memory at once).
 * Pure: the same `count` and `seed` give the same rows, ids included.
 */
export function* generateListings(count: number, seed: number = DEFAULT_SEED): Generator<ListingRow> {
  const cities = generateCities(seed);
  const hosts = generateHosts(count, seed);
  const citySampler = zipfSampler(cities.length, CITY_ZIPF_EXPONENT);
  // Hosts are skewed too: a few professional hosts run many listings.
  const hostSampler = zipfSampler(hosts.length, 0.8);
  const rng = createRng(hashString(`listings:${seed}`));
  for (let i = 0; i < count; i++) {
    const r = rng.fork(`listing:${i}`);
    const city = cities[citySampler(r)];
    const host = hosts[hostSampler(r)];
    if (!city || !host) throw new Error("unreachable");
    const createdMs = CREATED_UNTIL - Math.floor(r.next() * TWO_YEARS_MS);
    const createdAt = new Date(createdMs);
    const updatedAt = new Date(Math.min(CREATED_UNTIL, createdMs + Math.floor(r.next() * 90 * 86_400_000)));
    const propertyType = propertyTypes[r.weighted([60, 28, 4, 8])] ?? "entire_home";
    const maxGuests = maxGuestsFor(propertyType, r);
    const bedrooms = propertyType === "entire_home" ? Math.max(1, Math.ceil(maxGuests / 2) - r.int(0, 1)) : 1;
    const beds = Math.max(bedrooms, Math.ceil(maxGuests / 2) + r.int(0, 1));
    const bathrooms = Math.max(1, Math.round((bedrooms / 2 + r.int(0, 2) * 0.5) * 2) / 2);
    // Uniform over a disc of JITTER_KM around the centre.
    const distance = JITTER_KM * Math.sqrt(r.next());
    const bearing = r.next() * 2 * Math.PI;
    const lat = clamp(city.lat + (distance * Math.cos(bearing)) / 111.32, -90, 90);
    const lng = clamp(
      city.lng + (distance * Math.sin(bearing)) / (111.32 * Math.cos((city.lat * Math.PI) / 180)),
      -180,
      180,
    );
    // Log-normal around a city-dependent median, larger homes cost more.
    const median = 11_000 * city.priceLevel * (0.75 + maxGuests * 0.08);
    const price = clamp(Math.round((median * Math.exp(0.55 * r.normal())) / 100) * 100, MIN_PRICE, MAX_PRICE);
    const minNights = 1 + r.weighted([50, 20, 12, 6, 4, 2, 6]);
    const maxNights = Math.max(minNights, r.pick([14, 28, 30, 60, 90, 180, 365, 365, 365]));
    const listingAmenities = amenityNames.filter((a) => r.chance(amenityOdds[a]));
    const id = uuidv7(createdMs, r);
    const photoCount = r.int(1, 6);
    const ratingCount = r.chance(0.2) ? 0 : Math.floor(Math.exp(r.next() * 5.3));
    const ratingAverage = 3.6 + r.next() * 1.4;
    yield {
      id,
      hostId: host.id as string,
      title: `${r.pick(adjectives)} ${r.pick(nouns[propertyType])} ${r.pick(features)} in ${city.name}`,
      description: `${propertyType === "entire_home" ? "An" : "A"} ${propertyType.replace("_", " ")} for up to ${maxGuests} guests in ${city.name}. ${r.pick(
        features,
      )}; ${bedrooms} bedroom${bedrooms === 1 ? "" : "s"}, ${beds} bed${beds === 1 ? "" : "s"}.`,
      propertyType,
      addressLine1: `${r.int(1, 240)} ${r.pick(streets)} ${r.pick(streetKinds)}`,
      city: city.name,
      region: r.chance(0.8) ? city.region : null,
      postalCode: r.chance(0.9) ? String(r.int(10_000, 99_999)) : null,
      country: city.country,
      lat: round(lat, 6),
      lng: round(lng, 6),
      timezone: city.timezone,
      maxGuests,
      bedrooms,
      beds,
      bathrooms,
      amenities: listingAmenities,
      houseRules: r.chance(0.6) ? "No parties. Quiet hours 22:00–08:00." : null,
      checkInTime: r.pick(["14:00", "15:00", "15:00", "16:00"]),
      checkOutTime: r.pick(["10:00", "11:00", "11:00", "12:00"]),
      nightlyPrice: price,
      currency: city.currency,
      cleaningFee: r.chance(0.3) ? 0 : Math.round((price * (0.3 + r.next() * 0.7)) / 100) * 100,
      minNights,
      maxNights,
      instantBook: r.chance(0.4),
      cancellationPolicy: cancellationPolicies[r.weighted([30, 40, 15, 15])] ?? "moderate",
      photos: Array.from({ length: photoCount }, (_, n) => ({
        url: `https://img.stayedge.test/listings/${id}/${n + 1}.jpg`,
        caption: n === 0 ? "Living area" : null,
      })),
      status: listingStatuses[r.weighted([6, 90, 4])] ?? "published",
      ratingSum: Math.round(ratingCount * ratingAverage),
      ratingCount,
      version: 1,
      createdAt,
      updatedAt,
    };
  }
}

export interface SeedOptions {
  count: number;
  seed?: number;
  /** Rows per INSERT (default 1,000: 35 columns × 1,000 stays under PostgreSQL's 65,535 parameters). */
  batchSize?: number;
  /** Batches per transaction (default 10). */
  batchesPerTransaction?: number;
  onProgress?: (inserted: number) => void;
}

export interface SeedResult {
  hosts: number;
  listings: number;
  published: number;
  milliseconds: number;
}

/**
 * Inserts the hosts and `count` listings of the data set (batched, in transactions), then
 * VACUUM ANALYZEs both tables so the planner sees the real distribution (call it outside a
 * transaction). The tables need not be empty,
 * but the same seed cannot be inserted twice (ids and e-mails are fixed by the seed).
 */
export async function seedListings(db: Database, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const seed = options.seed ?? DEFAULT_SEED;
  const batchSize = options.batchSize ?? 1_000;
  const perTransaction = batchSize * (options.batchesPerTransaction ?? 10);
  const hosts = generateHosts(options.count, seed);
  await db.transaction(async (tx) => {
    for (let i = 0; i < hosts.length; i += batchSize) {
      await tx.insert(users).values(hosts.slice(i, i + batchSize));
    }
  });
  let inserted = 0;
  let published = 0;
  let pending: ListingRow[] = [];
  const flush = async (rows: ListingRow[]) => {
    await db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += batchSize) {
        await tx.insert(listings).values(rows.slice(i, i + batchSize));
      }
    });
    inserted += rows.length;
    options.onProgress?.(inserted);
  };
  for (const row of generateListings(options.count, seed)) {
    if (row.status === "published") published++;
    pending.push(row);
    if (pending.length >= perTransaction) {
      await flush(pending);
      pending = [];
    }
  }
  if (pending.length > 0) await flush(pending);
  // VACUUM too, not only ANALYZE: it sets the visibility map and hint bits a long-lived table has,
  // and clears the dead rows an earlier run's `--reseed` left, which slow place searches down. It
  // cannot run inside a transaction.
  await db.execute(sql`vacuum (analyze) users`);
  await db.execute(sql`vacuum (analyze) listings`);
  return {
    hosts: hosts.length,
    listings: inserted,
    published,
    milliseconds: Math.round(performance.now() - started),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
