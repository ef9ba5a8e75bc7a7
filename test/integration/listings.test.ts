import type { z } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { listingChangesSchema } from "../../src/domain/listings/listing-schemas.ts";
import * as routes from "../../src/routes/listings/listings.routes.ts";
import * as users from "../../src/routes/users/users.routes.ts";
import { expectStatus } from "../support/api.ts";
import { type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { insertListing } from "../support/factories.ts";
import { createListing, listingBody } from "../support/listing-factory.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let host: SignedUpUser;
let other: SignedUpUser;
let admin: SignedUpUser;

/** A listing as `token` (or anyone, without one) reads it. */
const read = (id: string, token?: string, headers?: Record<string, string>) =>
  t.call(routes.getListing, { params: { id }, token, headers });

beforeAll(async () => {
  t = await createTestApp({ env: { ADMIN_EMAIL: "listings-admin@example.com" } });
  host = await signUp(t);
  other = await signUp(t);
  admin = await signUp(t, { email: "listings-admin@example.com" });
});
afterAll(() => t.close());

describe("POST /v1/listings", () => {
  it("creates a listing owned by the caller, with ETag and Location", async () => {
    const created = await t.call(routes.createListing, {
      token: host.accessToken,
      body: listingBody({ status: "draft" }),
    });
    expectStatus(created, 201);
    expect(created.headers.get("etag")).toBe('"1"');
    expect(created.headers.get("location")).toBe(`/v1/listings/${created.body.id}`);
    expect(created.body).toMatchObject({
      hostId: host.id,
      status: "draft",
      nightlyPrice: 12_500,
      currency: "EUR",
      address: { city: "Paris", country: "FR", region: null },
      rating: { average: null, count: 0 },
      instantBook: false,
      minNights: 1,
    });
  });

  it("needs a signed-in caller", async () => {
    expectStatus(await t.call(routes.createListing, { body: listingBody() }), 401);
  });

  it("makes the owner a host when the first listing is published", async () => {
    const newcomer = await signUp(t);
    const profile = () => t.call(users.getUser, { params: { id: newcomer.id } });
    await createListing(t, newcomer.accessToken, { status: "draft" });
    expect((await profile()).body).toMatchObject({ isHost: false });
    await createListing(t, newcomer.accessToken);
    expect((await profile()).body).toMatchObject({ isHost: true });
    expect((await t.call(users.me, { token: newcomer.accessToken })).body).toMatchObject({ role: "host" });
  });

  it.each([
    ["an unknown country", { address: { line1: "x", city: "Y", country: "XX" } }, "body.address.country"],
    ["a lower-case country", { address: { line1: "x", city: "Y", country: "fr" } }, "body.address.country"],
    ["an unknown currency", { currency: "ABC" }, "body.currency"],
    ["an unknown time zone", { timezone: "Mars/Olympus" }, "body.timezone"],
    ["a latitude out of range", { location: { lat: 91, lng: 0 } }, "body.location.lat"],
    ["a fractional price", { nightlyPrice: 125.5 }, "body.nightlyPrice"],
    ["a price above the bound", { nightlyPrice: 10_000_001 }, "body.nightlyPrice"],
    ["a zero price", { nightlyPrice: 0 }, "body.nightlyPrice"],
    ["an unknown amenity", { amenities: ["wifi", "moat"] }, "body.amenities.1"],
    ["a repeated amenity", { amenities: ["wifi", "wifi"] }, "body.amenities"],
    ["a 121-character title", { title: "x".repeat(121) }, "body.title"],
    ["a bad check-in time", { checkInTime: "25:00" }, "body.checkInTime"],
    ["a quarter bathroom", { bathrooms: 1.25 }, "body.bathrooms"],
    ["an http photo", { photos: [{ url: "http://img.example/a.jpg" }] }, "body.photos.0.url"],
    ["a read-only field", { hostId: "someone-else" }, "body.hostId"],
    ["an unknown property type", { propertyType: "castle" }, "body.propertyType"],
  ])("returns 400 for %s", async (_what, change, location) => {
    const refused = await t.call(routes.createListing, {
      token: host.accessToken,
      invalidBody: { ...listingBody(), ...change },
    });
    expectStatus(refused, 400);
    expect(refused.body.errors?.map((e) => e.location)).toContain(location);
  });

  it("returns 400 when maxNights is below minNights", async () => {
    const refused = await t.call(routes.createListing, {
      token: host.accessToken,
      body: listingBody({ minNights: 5, maxNights: 2 }),
    });
    expectStatus(refused, 400);
    expect(refused.body).toMatchObject({ errors: [{ location: "body.maxNights" }] });
  });
});

describe("GET /v1/listings/{id}", () => {
  it("shows published listings to anyone, drafts only to the host and admins", async () => {
    const published = await createListing(t, host.accessToken);
    const draft = await createListing(t, host.accessToken, { status: "draft" });
    expectStatus(await read(published.id), 200);
    expectStatus(await read(draft.id), 404);
    expectStatus(await read(draft.id, other.accessToken), 404);
    expectStatus(await read(draft.id, host.accessToken), 200);
    expectStatus(await read(draft.id, admin.accessToken), 200);
    expectStatus(await read(crypto.randomUUID()), 404);
    expectStatus(await read(published.id, "not-a-token"), 401);
  });

  it("answers 304 to If-None-Match with the current ETag, with caching headers", async () => {
    const listing = await createListing(t, host.accessToken);
    const first = await read(listing.id);
    const etag = first.headers.get("etag") ?? "";
    expect(first.headers.get("cache-control")).toBe("public, max-age=30");
    const again = await read(listing.id, undefined, { "if-none-match": etag });
    expectStatus(again, 304);
    expect(again.text).toBe("");
    const mine = await read(listing.id, host.accessToken);
    expect(mine.headers.get("cache-control")).toBe("private, no-cache");
  });
});

describe("PATCH /v1/listings/{id}", () => {
  type Changes = z.input<typeof listingChangesSchema>;
  const change = (id: string, token: string, body: Changes, headers?: Record<string, string>) =>
    t.call(routes.updateListing, { params: { id }, token, body, headers });

  it("lets the host change fields, merging address, and bumps the ETag", async () => {
    const listing = await createListing(t, host.accessToken);
    const changed = await change(listing.id, host.accessToken, {
      nightlyPrice: 13_900,
      address: { postalCode: "75011" },
    });
    expectStatus(changed, 200);
    expect(changed.headers.get("etag")).toBe('"2"');
    expect(changed.body).toMatchObject({
      nightlyPrice: 13_900,
      address: { line1: "12 quai de Jemmapes", postalCode: "75011" },
    });
  });

  it("refuses a stale If-Match with 412 and changes nothing", async () => {
    const listing = await createListing(t, host.accessToken);
    const ifMatch = (etag: string) => ({ "if-match": etag });
    expectStatus(await change(listing.id, host.accessToken, { title: "First" }, ifMatch(listing.etag)), 200);
    const stale = await change(listing.id, host.accessToken, { title: "Second" }, ifMatch(listing.etag));
    expectStatus(stale, 412);
    expect(stale.body).toMatchObject({ code: "PRECONDITION_FAILED" });
    expectStatus(await change(listing.id, host.accessToken, { title: "Third" }, ifMatch("*garbage")), 412);
    expect((await read(listing.id)).body).toMatchObject({ title: "First" });
  });

  it("lets only the host or an admin change a listing", async () => {
    const listing = await createListing(t, host.accessToken);
    const draft = await createListing(t, host.accessToken, { status: "draft" });
    expectStatus(await change(listing.id, other.accessToken, { title: "Mine now" }), 403);
    expectStatus(await change(draft.id, other.accessToken, { title: "Mine now" }), 404);
    expectStatus(await change(listing.id, admin.accessToken, { title: "Moderated" }), 200);
    expect((await read(listing.id)).body).toMatchObject({ title: "Moderated", hostId: host.id });
  });

  it("returns 400 for bad changes and keeps the listing as it was", async () => {
    const listing = await createListing(t, host.accessToken);
    for (const invalidBody of [
      { maxNights: 0 },
      { minNights: 400 },
      { status: "deleted" },
      { id: "x" },
      { address: { country: "ZZ" } },
    ]) {
      const refused = await t.call(routes.updateListing, {
        params: { id: listing.id },
        token: host.accessToken,
        invalidBody,
      });
      expectStatus(refused, 400, JSON.stringify(invalidBody));
    }
    expect((await read(listing.id)).headers.get("etag")).toBe('"1"');
  });

  it("never shows the host (or anyone) the old version after an update, though reads are cached", async () => {
    const listing = await createListing(t, host.accessToken);
    await read(listing.id); // fills the cache
    await read(listing.id);
    expectStatus(await change(listing.id, host.accessToken, { title: "Renovated loft" }), 200);
    expect((await read(listing.id, host.accessToken)).body).toMatchObject({ title: "Renovated loft" });
    expect((await read(listing.id)).body).toMatchObject({ title: "Renovated loft" });
  });
});

describe("DELETE /v1/listings/{id}", () => {
  it("unlists: gone from public reads and search, still the host's", async () => {
    const listing = await createListing(t, host.accessToken, {
      address: { line1: "1 rue", city: "Lyon", country: "FR" },
    });
    const unlist = (token: string) => t.call(routes.deleteListing, { params: { id: listing.id }, token });
    await read(listing.id);
    expectStatus(await unlist(other.accessToken), 403);
    expectStatus(await unlist(host.accessToken), 204);
    expectStatus(await read(listing.id), 404);
    expect((await read(listing.id, host.accessToken)).body).toMatchObject({ status: "unlisted" });
    const search = await t.call(routes.searchListings, { query: { city: "Lyon", country: "FR" } });
    expectStatus(search, 200);
    expect(search.body.items.map((i) => i.id)).not.toContain(listing.id);
  });
});

describe("GET /v1/users/me/listings", () => {
  it("pages through the caller's listings in every status, newest first", async () => {
    const owner = await signUp(t);
    const db = t.db.database.connect().db;
    const ids: string[] = [];
    for (const [i, status] of (["draft", "published", "unlisted", "published", "draft"] as const).entries()) {
      const createdAt = new Date(Date.UTC(2026, 0, 1, 12, 0, i));
      ids.push((await insertListing(db, { hostId: owner.id, status, createdAt })).id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.call(routes.listMine, { token: owner.accessToken, query: { limit: 2, cursor } });
      expectStatus(page, 200);
      seen.push(...page.body.items.map((l) => l.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });
});
