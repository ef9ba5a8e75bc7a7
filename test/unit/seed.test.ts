import { describe, expect, it } from "vitest";
import {
  amenityNames,
  cancellationPolicies,
  listingStatuses,
  propertyTypes,
} from "../../src/domain/listings/vocabulary.ts";
import {
  CITY_COUNT,
  DUMMY_PASSWORD_HASH,
  generateCities,
  generateHosts,
  generateListings,
  hostCountFor,
  MAX_PRICE,
  MIN_PRICE,
} from "../support/seed.ts";

const COUNT = 20_000;
const rows = Array.from(generateListings(COUNT, 7));

describe("bench data generator", () => {
  it("is deterministic for a fixed seed, and another seed gives other rows", () => {
    const again = Array.from(generateListings(COUNT, 7));
    expect(again).toEqual(rows);
    expect(generateHosts(COUNT, 7)).toEqual(generateHosts(COUNT, 7));
    expect(generateCities(7)).toEqual(generateCities(7));
    const other = Array.from(generateListings(100, 8));
    expect(other.map((r) => r.id)).not.toEqual(rows.slice(0, 100).map((r) => r.id));
  });

  it("gives 100,000 listings 100,000 distinct ids", () => {
    const ids = new Set<string>();
    for (const r of generateListings(100_000, 20_261_124)) ids.add(r.id);
    expect(ids.size).toBe(100_000);
  });

  it("a prefix of a larger data set is the smaller data set's rows (same hosts aside)", () => {
    // Rows derive from their index: growing the set does not reshuffle the first rows' places.
    const small = Array.from(generateListings(50, 7));
    expect(small.map((r) => [r.city, r.nightlyPrice])).toEqual(
      rows.slice(0, 50).map((r) => [r.city, r.nightlyPrice]),
    );
  });

  it("makes ~300 distinct cities with real country codes, time zones and currencies", () => {
    const cities = generateCities(7);
    expect(cities).toHaveLength(CITY_COUNT);
    expect(new Set(cities.map((c) => c.name.toLowerCase())).size).toBe(CITY_COUNT);
    const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
    for (const city of cities) {
      expect(regionNames.of(city.country)).not.toBe(city.country);
      expect(() => new Intl.DateTimeFormat("en", { timeZone: city.timezone })).not.toThrow();
      expect(city.currency).toMatch(/^[A-Z]{3}$/);
    }
  });

  it("is skewed: the top 10% of cities hold well over half the listings", () => {
    const perCity = new Map<string, number>();
    for (const r of rows)
      perCity.set(`${r.country}/${r.city}`, (perCity.get(`${r.country}/${r.city}`) ?? 0) + 1);
    const counts = [...perCity.values()].sort((a, b) => b - a);
    const top = counts.slice(0, Math.ceil(CITY_COUNT / 10)).reduce((a, b) => a + b, 0);
    expect(top / COUNT).toBeGreaterThan(0.65);
    // …and the long tail is still there.
    expect(perCity.size).toBeGreaterThan(CITY_COUNT * 0.9);
  });

  it("keeps every row inside the schema's checks and closed lists", () => {
    const cities = new Map(generateCities(7).map((c) => [`${c.country}/${c.name}`, c]));
    const hostIds = new Set(generateHosts(COUNT, 7).map((h) => h.id));
    const ids = new Set<string>();
    // Plain checks gathered per row: 20,000 rows × 30 expect() calls took seconds on a busy machine.
    const problems: string[] = [];
    const check = (ok: boolean, what: string, r: (typeof rows)[number]) => {
      if (!ok) problems.push(`${r.id}: ${what}`);
    };
    const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const r of rows) {
      check(r.lat >= -90 && r.lat <= 90, `lat ${r.lat}`, r);
      check(r.lng >= -180 && r.lng <= 180, `lng ${r.lng}`, r);
      check(
        Number.isInteger(r.nightlyPrice) &&
          r.nightlyPrice > 0 &&
          r.nightlyPrice >= MIN_PRICE &&
          r.nightlyPrice <= MAX_PRICE,
        `nightlyPrice ${r.nightlyPrice}`,
        r,
      );
      check((r.cleaningFee ?? 0) >= 0, `cleaningFee ${r.cleaningFee}`, r);
      check((r.minNights ?? 1) >= 1, `minNights ${r.minNights}`, r);
      check((r.maxNights ?? 365) >= (r.minNights ?? 1), `maxNights ${r.maxNights}`, r);
      check(r.maxGuests >= 1 && r.maxGuests <= 16, `maxGuests ${r.maxGuests}`, r);
      check(r.beds >= r.bedrooms, `beds ${r.beds} < bedrooms ${r.bedrooms}`, r);
      check((r.bathrooms * 2) % 1 === 0, `bathrooms ${r.bathrooms}`, r);
      check((r.ratingCount ?? 0) >= 0, `ratingCount ${r.ratingCount}`, r);
      check((r.ratingSum ?? 0) <= (r.ratingCount ?? 0) * 5, `ratingSum ${r.ratingSum}`, r);
      check(propertyTypes.includes(r.propertyType), `propertyType ${r.propertyType}`, r);
      check(cancellationPolicies.includes(r.cancellationPolicy), `policy ${r.cancellationPolicy}`, r);
      check(r.status !== undefined && listingStatuses.includes(r.status), `status ${r.status}`, r);
      for (const a of r.amenities ?? []) check(amenityNames.includes(a), `amenity ${a}`, r);
      check(uuidV7.test(r.id), "id is not a UUIDv7", r);
      check(hostIds.has(r.hostId), `unknown host ${r.hostId}`, r);
      check(r.updatedAt.getTime() >= r.createdAt.getTime(), "updatedAt before createdAt", r);
      // Within ~10 km of the city's centre.
      const city = cities.get(`${r.country}/${r.city}`);
      if (!city) {
        problems.push(`${r.id}: unknown city ${r.country}/${r.city}`);
      } else {
        const dy = (r.lat - city.lat) * 111.32;
        const dx = (r.lng - city.lng) * 111.32 * Math.cos((city.lat * Math.PI) / 180);
        check(Math.hypot(dx, dy) < 10.1, `${Math.hypot(dx, dy).toFixed(1)} km from ${city.name}`, r);
        check(r.currency === city.currency, `currency ${r.currency}`, r);
        check(r.timezone === city.timezone, `timezone ${r.timezone}`, r);
      }
      ids.add(r.id);
    }
    expect(problems.slice(0, 20), `${problems.length} problems`).toEqual([]);
    expect(ids.size).toBe(COUNT);
  });

  it("has a realistic mix: ~90% published, log-normal prices, a spread of ages and sizes", () => {
    const published = rows.filter((r) => r.status === "published").length / COUNT;
    expect(published).toBeGreaterThan(0.87);
    expect(published).toBeLessThan(0.93);
    const prices = rows.map((r) => r.nightlyPrice).sort((a, b) => a - b);
    const median = prices[Math.floor(COUNT / 2)] ?? 0;
    expect(median).toBeGreaterThan(8_000);
    expect(median).toBeLessThan(16_000);
    // Right-skewed: the mean is above the median.
    expect(prices.reduce((a, b) => a + b, 0) / COUNT).toBeGreaterThan(median);
    const created = rows.map((r) => r.createdAt.getTime());
    const spanDays = (Math.max(...created) - Math.min(...created)) / 86_400_000;
    expect(spanDays).toBeGreaterThan(700);
    expect(spanDays).toBeLessThanOrEqual(730);
    expect(new Set(rows.map((r) => r.maxGuests)).size).toBe(16);
    expect(new Set(rows.map((r) => r.currency)).size).toBeGreaterThan(5);
  });

  it("makes a few thousand hosts for 100,000 listings, with unique e-mails and a hash-shaped dummy password", () => {
    expect(hostCountFor(100_000)).toBeGreaterThanOrEqual(2_000);
    expect(hostCountFor(100_000)).toBeLessThanOrEqual(5_000);
    const hosts = generateHosts(COUNT, 7);
    expect(new Set(hosts.map((h) => h.email.toLowerCase())).size).toBe(hosts.length);
    expect(DUMMY_PASSWORD_HASH).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    for (const h of hosts) expect(h.passwordHash).toBe(DUMMY_PASSWORD_HASH);
  });
});
