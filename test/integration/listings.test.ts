import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeader, type SignedUpUser, signUp } from "../support/auth-helpers.ts";
import { createListing, listingBody } from "../support/listing-factory.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let host: SignedUpUser;
let other: SignedUpUser;
let admin: SignedUpUser;

const send = (
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
) =>
  t.request(path, {
    method,
    headers: {
      ...(token ? authHeader(token) : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

beforeAll(async () => {
  t = await createTestApp({ env: { ADMIN_EMAIL: "listings-admin@example.com" } });
  host = await signUp(t);
  other = await signUp(t);
  admin = await signUp(t, { email: "listings-admin@example.com" });
});
afterAll(() => t.close());

describe("POST /v1/listings", () => {
  it("creates a listing owned by the caller, with ETag and Location", async () => {
    const response = await send("POST", "/v1/listings", host.accessToken, listingBody({ status: "draft" }));
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(response.headers.get("etag")).toBe('"1"');
    expect(response.headers.get("location")).toBe(`/v1/listings/${body.id}`);
    expect(body).toMatchObject({
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
    expect((await send("POST", "/v1/listings", undefined, listingBody())).status).toBe(401);
  });

  it("makes the owner a host when the first listing is published", async () => {
    const newcomer = await signUp(t);
    await createListing(t, newcomer.accessToken, { status: "draft" });
    expect(await json(await send("GET", `/v1/users/${newcomer.id}`))).toMatchObject({ isHost: false });
    await createListing(t, newcomer.accessToken);
    expect(await json(await send("GET", `/v1/users/${newcomer.id}`))).toMatchObject({ isHost: true });
    expect(await json(await send("GET", "/v1/users/me", newcomer.accessToken))).toMatchObject({
      role: "host",
    });
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
    ["a read-only field", { hostId: "someone-else" }, "body"],
    ["an unknown property type", { propertyType: "castle" }, "body.propertyType"],
  ])("returns 400 for %s", async (_what, change, location) => {
    const response = await send("POST", "/v1/listings", host.accessToken, listingBody(change));
    const body = await json<{ errors: Array<{ location: string }> }>(response);
    expect(response.status, JSON.stringify(body)).toBe(400);
    expect(body.errors.map((e) => e.location)).toContain(location);
  });

  it("returns 400 when maxNights is below minNights", async () => {
    const response = await send(
      "POST",
      "/v1/listings",
      host.accessToken,
      listingBody({ minNights: 5, maxNights: 2 }),
    );
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ errors: [{ location: "body.maxNights" }] });
  });
});

describe("GET /v1/listings/{id}", () => {
  it("shows published listings to anyone, drafts only to the host and admins", async () => {
    const published = await createListing(t, host.accessToken);
    const draft = await createListing(t, host.accessToken, { status: "draft" });
    expect((await send("GET", `/v1/listings/${published.id}`)).status).toBe(200);
    expect((await send("GET", `/v1/listings/${draft.id}`)).status).toBe(404);
    expect((await send("GET", `/v1/listings/${draft.id}`, other.accessToken)).status).toBe(404);
    expect((await send("GET", `/v1/listings/${draft.id}`, host.accessToken)).status).toBe(200);
    expect((await send("GET", `/v1/listings/${draft.id}`, admin.accessToken)).status).toBe(200);
    expect((await send("GET", `/v1/listings/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await send("GET", `/v1/listings/${published.id}`, "not-a-token")).status).toBe(401);
  });

  it("answers 304 to If-None-Match with the current ETag, with caching headers", async () => {
    const listing = await createListing(t, host.accessToken);
    const first = await send("GET", `/v1/listings/${listing.id}`);
    const etag = first.headers.get("etag") ?? "";
    expect(first.headers.get("cache-control")).toBe("public, max-age=30");
    const again = await send("GET", `/v1/listings/${listing.id}`, undefined, undefined, {
      "if-none-match": etag,
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const mine = await send("GET", `/v1/listings/${listing.id}`, host.accessToken);
    expect(mine.headers.get("cache-control")).toBe("private, no-cache");
  });
});

describe("PATCH /v1/listings/{id}", () => {
  it("lets the host change fields, merging address, and bumps the ETag", async () => {
    const listing = await createListing(t, host.accessToken);
    const response = await send("PATCH", `/v1/listings/${listing.id}`, host.accessToken, {
      nightlyPrice: 13_900,
      address: { postalCode: "75011" },
    });
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(response.headers.get("etag")).toBe('"2"');
    expect(body).toMatchObject({
      nightlyPrice: 13_900,
      address: { line1: "12 quai de Jemmapes", postalCode: "75011" },
    });
  });

  it("refuses a stale If-Match with 412 and changes nothing", async () => {
    const listing = await createListing(t, host.accessToken);
    const ok = await send(
      "PATCH",
      `/v1/listings/${listing.id}`,
      host.accessToken,
      { title: "First" },
      { "if-match": listing.etag },
    );
    expect(ok.status).toBe(200);
    const stale = await send(
      "PATCH",
      `/v1/listings/${listing.id}`,
      host.accessToken,
      { title: "Second" },
      { "if-match": listing.etag },
    );
    expect(stale.status).toBe(412);
    expect(await json(stale)).toMatchObject({ code: "PRECONDITION_FAILED" });
    const malformed = await send(
      "PATCH",
      `/v1/listings/${listing.id}`,
      host.accessToken,
      { title: "Third" },
      { "if-match": "*garbage" },
    );
    expect(malformed.status).toBe(412);
    expect(await json(await send("GET", `/v1/listings/${listing.id}`))).toMatchObject({ title: "First" });
  });

  it("lets only the host or an admin change a listing", async () => {
    const listing = await createListing(t, host.accessToken);
    const draft = await createListing(t, host.accessToken, { status: "draft" });
    expect(
      (await send("PATCH", `/v1/listings/${listing.id}`, other.accessToken, { title: "Mine now" })).status,
    ).toBe(403);
    expect(
      (await send("PATCH", `/v1/listings/${draft.id}`, other.accessToken, { title: "Mine now" })).status,
    ).toBe(404);
    expect(
      (await send("PATCH", `/v1/listings/${listing.id}`, admin.accessToken, { title: "Moderated" })).status,
    ).toBe(200);
    expect(await json(await send("GET", `/v1/listings/${listing.id}`))).toMatchObject({
      title: "Moderated",
      hostId: host.id,
    });
  });

  it("returns 400 for bad changes and keeps the listing as it was", async () => {
    const listing = await createListing(t, host.accessToken);
    for (const change of [
      { maxNights: 0 },
      { minNights: 400 },
      { status: "deleted" },
      { id: "x" },
      { address: { country: "ZZ" } },
    ]) {
      const response = await send("PATCH", `/v1/listings/${listing.id}`, host.accessToken, change);
      expect(response.status, JSON.stringify(change)).toBe(400);
    }
    const current = await send("GET", `/v1/listings/${listing.id}`);
    expect(current.headers.get("etag")).toBe('"1"');
  });

  it("never shows the host (or anyone) the old version after an update, though reads are cached", async () => {
    const listing = await createListing(t, host.accessToken);
    await send("GET", `/v1/listings/${listing.id}`); // fills the cache
    await send("GET", `/v1/listings/${listing.id}`);
    await send("PATCH", `/v1/listings/${listing.id}`, host.accessToken, { title: "Renovated loft" });
    expect(await json(await send("GET", `/v1/listings/${listing.id}`, host.accessToken))).toMatchObject({
      title: "Renovated loft",
    });
    expect(await json(await send("GET", `/v1/listings/${listing.id}`))).toMatchObject({
      title: "Renovated loft",
    });
  });
});

describe("DELETE /v1/listings/{id}", () => {
  it("unlists: gone from public reads and search, still the host's", async () => {
    const listing = await createListing(t, host.accessToken, {
      address: { line1: "1 rue", city: "Lyon", country: "FR" },
    });
    await send("GET", `/v1/listings/${listing.id}`);
    expect((await send("DELETE", `/v1/listings/${listing.id}`, other.accessToken)).status).toBe(403);
    expect((await send("DELETE", `/v1/listings/${listing.id}`, host.accessToken)).status).toBe(204);
    expect((await send("GET", `/v1/listings/${listing.id}`)).status).toBe(404);
    expect(await json(await send("GET", `/v1/listings/${listing.id}`, host.accessToken))).toMatchObject({
      status: "unlisted",
    });
    const search = await json<{ items: Array<{ id: string }> }>(
      await send("GET", "/v1/listings?city=Lyon&country=FR"),
    );
    expect(search.items.map((i) => i.id)).not.toContain(listing.id);
  });
});

describe("GET /v1/users/me/listings", () => {
  it("pages through the caller's listings in every status, newest first", async () => {
    const owner = await signUp(t);
    const ids: string[] = [];
    for (const status of ["draft", "published", "unlisted", "published", "draft"]) {
      ids.push((await createListing(t, owner.accessToken, { status })).id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string; hostId: string }>; nextCursor: string | null } = await json(
        await send(
          "GET",
          `/v1/users/me/listings?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
          owner.accessToken,
        ),
      );
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });
});
