import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listings } from "../../src/db/schema/index.ts";
import * as routes from "../../src/routes/listings/listings.routes.ts";
import { expectStatus } from "../support/api.ts";
import { type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { insertListing, type ListingOverrides } from "../support/factories.ts";
import { createListing } from "../support/listing-factory.ts";
import { allPages, searchPage } from "../support/search-pages.ts";
import { createTestApp, manualClock, type TestApp } from "../support/test-app.ts";

const clock = manualClock();
let t: TestApp;
let host: SignedUpUser;
const ids: Record<string, string> = {};

const search = (query: string) => searchPage(t, query);

const paris = (addressLine1: string, lat: number, lng: number) => ({
  addressLine1,
  city: "Paris",
  country: "FR",
  lat,
  lng,
});

beforeAll(async () => {
  t = await createTestApp({ deps: { clock } });
  host = await signUp(t);
  const db = t.db.database.connect().db;
  // Data to search: written straight to the table, one second apart, as the host's.
  const make = async (name: string, overrides: ListingOverrides) => {
    clock.advance(1000);
    const row = await insertListing(db, {
      hostId: host.id,
      title: name,
      createdAt: clock.now(),
      ...overrides,
    });
    ids[name] = row.id;
  };
  // Paris centre is 48.8566, 2.3522. Prices tie on purpose (10000 ×3).
  await make("Marais studio", {
    ...paris("1 rue A", 48.859, 2.362),
    nightlyPrice: 10_000,
    maxGuests: 2,
    amenities: ["wifi"],
  });
  await make("Bastille flat", {
    ...paris("2 rue B", 48.853, 2.369),
    nightlyPrice: 10_000,
    maxGuests: 4,
    amenities: ["wifi", "kitchen"],
    instantBook: true,
  });
  await make("Canal loft", {
    ...paris("3 rue C", 48.8722, 2.3654),
    nightlyPrice: 10_000,
    maxGuests: 6,
    amenities: ["wifi", "kitchen", "pool"],
  });
  await make("Montmartre room", {
    ...paris("4 rue D", 48.8867, 2.3431),
    nightlyPrice: 6_000,
    maxGuests: 1,
    propertyType: "private_room",
    amenities: ["tv"],
  });
  await make("Versailles house", {
    addressLine1: "5 av E",
    city: "Versailles",
    country: "FR",
    lat: 48.8049,
    lng: 2.1204,
    nightlyPrice: 30_000,
    maxGuests: 8,
    amenities: ["free_parking"],
  });
  await make("Paris draft", { ...paris("6 rue F", 48.857, 2.353), nightlyPrice: 1_000, status: "draft" });
  await make("Paris, Texas ranch", {
    addressLine1: "7 Main St",
    city: "Paris",
    region: "TX",
    country: "US",
    lat: 33.6609,
    lng: -95.5555,
    nightlyPrice: 9_000,
    currency: "USD",
    timezone: "America/Chicago",
  });
  await make("Fiji beach hut", {
    addressLine1: "8 Beach Rd",
    city: "Taveuni",
    country: "FJ",
    lat: -16.85,
    lng: 179.95,
    nightlyPrice: 20_000,
    currency: "FJD",
    timezone: "Pacific/Fiji",
  });
  await make("Samoa fale", {
    addressLine1: "9 Beach Rd",
    city: "Apia",
    country: "WS",
    lat: -16.9,
    lng: -179.95,
    nightlyPrice: 15_000,
    currency: "WST",
    timezone: "Pacific/Apia",
  });
});
afterAll(() => t.close());

describe("GET /v1/listings", () => {
  it("finds a city's published listings by city+country, cheapest first, ties broken by id, never drafts", async () => {
    const items = await allPages(t, "city=paris&country=FR", 2);
    expect(items.map((i) => i.title)).toEqual([
      "Montmartre room",
      ...["Marais studio", "Bastille flat", "Canal loft"].sort((a, b) =>
        (ids[a] ?? "") < (ids[b] ?? "") ? -1 : 1,
      ),
    ]);
  });

  it("pages with a cursor without skipping or repeating, in every sort", async () => {
    for (const sort of ["price_asc", "price_desc", "newest", "rating"]) {
      const paged = await allPages(t, `country=FR&sort=${sort}`, 2);
      const whole = (await search(`country=FR&sort=${sort}&limit=50`)).items;
      expect(
        paged.map((i) => i.id),
        sort,
      ).toEqual(whole.map((i) => i.id));
      expect(whole).toHaveLength(5);
    }
    const desc = (await search("country=FR&sort=price_desc&limit=50")).items.map((i) => i.nightlyPrice);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    const newest = (await search("country=FR&sort=newest&limit=50")).items.map((i) => i.title);
    expect(newest[0]).toBe("Versailles house");
  });

  it("filters by guests, price range, property type, amenities (all of) and instant booking", async () => {
    const titles = async (q: string) =>
      (await search(`country=FR&${q}&limit=50`)).items.map((i) => i.title).sort();
    expect(await titles("guests=4")).toEqual(["Bastille flat", "Canal loft", "Versailles house"]);
    expect(await titles("minPrice=6000&maxPrice=10000")).toEqual([
      "Bastille flat",
      "Canal loft",
      "Marais studio",
      "Montmartre room",
    ]);
    expect(await titles("propertyType=private_room")).toEqual(["Montmartre room"]);
    expect(await titles("amenities=wifi,kitchen")).toEqual(["Bastille flat", "Canal loft"]);
    expect(await titles("amenities=pool")).toEqual(["Canal loft"]);
    expect(await titles("instantBook=true")).toEqual(["Bastille flat"]);
  });

  it("matches free text in titles and cities literally (LIKE wildcards are not wildcards)", async () => {
    expect((await search("q=loft")).items.map((i) => i.title)).toEqual(["Canal loft"]);
    expect((await search("q=versailles")).items.map((i) => i.title)).toEqual(["Versailles house"]);
    expect((await search("q=%25%25")).items).toEqual([]);
  });

  it("finds listings near a point within a radius, nearest first, with distances", async () => {
    const items = await allPages(t, "near=48.8566,2.3522&radiusKm=4", 2);
    expect(items.map((i) => i.title)).toEqual([
      "Marais studio",
      "Bastille flat",
      "Canal loft",
      "Montmartre room",
    ]);
    const distances = items.map((i) => i.distanceKm ?? -1);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(distances[0]).toBeGreaterThan(0.5);
    expect(distances.at(-1)).toBeGreaterThan(3); // Montmartre: 3.4 km
    expect(distances.at(-1)).toBeLessThan(4);
    expect((await search("near=48.8566,2.3522&radiusKm=3&limit=50")).items).toHaveLength(3);
    const wide = (await search("near=48.8566,2.3522&radiusKm=20&limit=50")).items.map((i) => i.title);
    expect(wide).toContain("Versailles house");
  });

  it("combines nearest-first with free text, amenities and the other filters", async () => {
    const titles = async (q: string) =>
      (await search(`near=48.8566,2.3522&radiusKm=20&${q}`)).items.map((i) => i.title);
    expect(await titles("q=loft")).toEqual(["Canal loft"]);
    expect(await titles("q=paris&limit=2")).toEqual(["Marais studio", "Bastille flat"]);
    expect(await titles("amenities=wifi,kitchen")).toEqual(["Bastille flat", "Canal loft"]);
    expect(await titles("guests=4")).toEqual(["Bastille flat", "Canal loft", "Versailles house"]);
    expect(await titles("propertyType=private_room&instantBook=true")).toEqual([]);
    const paged = await allPages(t, "near=48.8566,2.3522&radiusKm=20&q=ar", 1);
    const whole = (await search("near=48.8566,2.3522&radiusKm=20&q=ar&limit=50")).items;
    expect(paged.map((i) => i.id)).toEqual(whole.map((i) => i.id));
    expect(whole.length).toBeGreaterThan(2);
  });

  it("pages nearest-first through listings at the very same spot without skipping or repeating", async () => {
    const db = t.db.database.connect().db;
    const hotel = { addressLine1: "1 Hotel Sq", city: "Oslo", country: "NO", currency: "NOK" };
    const rooms: string[] = [];
    for (let i = 0; i < 5; i++) {
      rooms.push(
        (await insertListing(db, { ...hotel, hostId: host.id, title: `Room ${i}`, lat: 59.91, lng: 10.75 }))
          .id,
      );
    }
    const neighbour = (
      await insertListing(db, { ...hotel, hostId: host.id, title: "Next door", lat: 59.9101, lng: 10.75 })
    ).id;
    const paged = await allPages(t, "near=59.91,10.75&radiusKm=1", 2);
    expect(paged.map((i) => i.id)).toEqual([...rooms.sort(), neighbour]);
    expect(paged[0]?.distanceKm).toBe(0);
  });

  it("shows each listing found as its own page does: the same text, numbers, rating and first photo", async () => {
    // Text the database must escape for JSON exactly as JSON.stringify does.
    const title = 'Quote " backslash \\ tab\t line\nbreak \u0001 \u2028 emoji 🏡 é';
    const place = { lat: -33.8688, lng: 151.2093 };
    const photos = [
      { url: "https://img.example/a.jpg", caption: 'The "view" \\ 🌊' },
      { url: "https://img.example/b.jpg" },
    ];
    const made = [
      { rating: [0, 0], photos },
      // 100 × 825 / 200 = 412.5: a tie rounds up as Math.round does (4.13), not to even (4.12).
      { rating: [825, 200], photos: [] },
      { rating: [33, 8], photos: [{ url: "https://img.example/c.jpg", caption: null }] },
    ];
    const created: string[] = [];
    // Through the API: the search must show what a host's create stored (defaults included).
    for (const [i, m] of made.entries()) {
      const { id } = await createListing(t, host.accessToken, {
        title: `${title} ${i}`,
        address: { line1: "1 Quay", city: 'Syd"ney\\', country: "AU" },
        location: { lat: place.lat + i * 0.001, lng: place.lng },
        currency: "AUD",
        timezone: "Australia/Sydney",
        bathrooms: 1.5,
        photos: m.photos,
      });
      await t.db.database
        .connect()
        .db.update(listings)
        .set({ ratingSum: m.rating[0], ratingCount: m.rating[1] })
        .where(eq(listings.id, id));
      created.push(id);
    }
    // Each search's items against each listing's own page; `limit` keeps answers out of the cache.
    const expectSearchesShowOwnPages = async (limit: number) => {
      for (const query of [
        "near=-33.8688,151.2093&radiusKm=1",
        "bbox=-34,151,-33,152",
        "country=AU&city=syd%22ney%5C",
      ]) {
        const found = (await search(`${query}&limit=${limit}`)).items;
        expect(found.map((item) => item.id).sort(), query).toEqual([...created].sort());
        for (const item of found) {
          const page = await t.call(routes.getListing, { params: { id: item.id } });
          expectStatus(page, 200);
          const own = page.body;
          const { distanceKm, ...shown } = item;
          const firstPhoto = own.photos[0];
          expect(shown, query).toEqual({
            id: own.id,
            title: own.title,
            propertyType: own.propertyType,
            city: own.address.city,
            country: own.address.country,
            location: own.location,
            maxGuests: own.maxGuests,
            bedrooms: own.bedrooms,
            beds: own.beds,
            bathrooms: own.bathrooms,
            nightlyPrice: own.nightlyPrice,
            currency: own.currency,
            instantBook: own.instantBook,
            // The listing's own page adds the averages by category.
            rating: { average: own.rating.average, count: own.rating.count },
            photo: firstPhoto ?? null,
          });
          expect(distanceKm === undefined, query).toBe(!query.startsWith("near="));
        }
        const ratings = found.map((item) => item.rating.average).sort();
        expect(ratings, query).toEqual([4.13, 4.13, null]);
      }
    };
    await expectSearchesShowOwnPages(50);
    // A change shows in the next search: each listing keeps its search text up to date.
    for (const [i, id] of created.entries()) {
      const changed = await t.call(routes.updateListing, {
        params: { id },
        token: host.accessToken,
        body: {
          title: `Renamed \\ "${i}" ✓`,
          nightlyPrice: 12_345 + i,
          instantBook: true,
          photos: [{ url: `https://img.example/new-${i}.jpg`, caption: "New" }],
        },
      });
      expectStatus(changed, 200);
    }
    await expectSearchesShowOwnPages(49);
  });

  it("finds listings inside a bounding box, including one across the antimeridian", async () => {
    const box = (await search("bbox=48.85,2.35,48.87,2.37&limit=50")).items.map((i) => i.title).sort();
    expect(box).toEqual(["Bastille flat", "Marais studio"]);
    const pacific = (await search("bbox=-17.5,179.5,-16.5,-179.5&limit=50")).items.map((i) => i.title).sort();
    expect(pacific).toEqual(["Fiji beach hut", "Samoa fale"]);
    const nearDateLine = (await search("near=-16.87,180&radiusKm=20&limit=50")).items
      .map((i) => i.title)
      .sort();
    expect(nearDateLine).toEqual(["Fiji beach hut", "Samoa fale"]);
  });

  it("keeps a Texan Paris out of a French search", async () => {
    expect((await search("city=Paris&country=US")).items.map((i) => i.title)).toEqual(["Paris, Texas ranch"]);
  });

  it("serves a search's answer for 15 s, then reads the database again", async () => {
    const price = async (nightlyPrice?: number) => {
      if (nightlyPrice !== undefined) {
        const changed = await t.call(routes.updateListing, {
          params: { id: ids["Versailles house"] ?? "" },
          token: host.accessToken,
          body: { nightlyPrice },
        });
        expectStatus(changed, 200);
      }
      return (await search("city=Versailles&country=FR")).items[0]?.nightlyPrice;
    };
    const first = await price();
    expect(await price(31_000), "the first answer is served for 15 s").toBe(first);
    clock.advance(15_001);
    expect(await price(), "after 15 s the search reads the database again").toBe(31_000);
  });

  it.each([
    ["a city without its country", "city=Paris", "query.country"],
    ["a malformed bbox", "bbox=1,2,3", "query.bbox"],
    ["a bbox with south north of north", "bbox=50,2,49,3", "query.bbox"],
    ["a latitude out of range", "near=95,2", "query.near.0"],
    ["a radius without near", "radiusKm=5", "query.radiusKm"],
    ["a radius over 100 km", "near=48,2&radiusKm=500", "query.radiusKm"],
    ["distance sort without near", "country=FR&sort=distance", "query.sort"],
    ["an unknown amenity", "amenities=wifi,moat", "query.amenities.1"],
    ["a limit over 50", "limit=51", "query.limit"],
    ["minPrice above maxPrice", "minPrice=500&maxPrice=100", "query.minPrice"],
    ["a forged cursor", "cursor=e30", "query.cursor"],
  ])("returns 400 for %s", async (_what, query, location) => {
    const refused = await t.call(routes.searchListings, { query });
    expectStatus(refused, 400);
    expect(refused.body.errors?.map((e) => e.location)).toContain(location);
  });

  it("refuses a cursor from another sort order", async () => {
    const page = await search("country=FR&sort=price_asc&limit=1");
    const refused = await t.call(routes.searchListings, {
      query: { country: "FR", sort: "newest", cursor: page.nextCursor ?? undefined },
    });
    expectStatus(refused, 400);
  });
});
