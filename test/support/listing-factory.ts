import type { TestApp } from "./test-app.ts";

/** A valid listing body; override any field. */
export function listingBody(overrides: Record<string, unknown> = {}) {
  return {
    title: "Sunny loft by the canal",
    description: "Two bright rooms.",
    propertyType: "entire_home",
    address: { line1: "12 quai de Jemmapes", city: "Paris", postalCode: "75010", country: "FR" },
    location: { lat: 48.8722, lng: 2.3654 },
    timezone: "Europe/Paris",
    maxGuests: 4,
    bedrooms: 2,
    beds: 2,
    bathrooms: 1.5,
    amenities: ["wifi", "kitchen"],
    checkInTime: "15:00",
    checkOutTime: "11:00",
    nightlyPrice: 12_500,
    currency: "EUR",
    cleaningFee: 3_000,
    cancellationPolicy: "moderate",
    status: "published",
    ...overrides,
  };
}

export interface CreatedListing {
  id: string;
  etag: string;
  body: Record<string, unknown>;
}

/** Creates a listing through the API as the holder of `token`; throws with the answer on failure. */
export async function createListing(
  t: TestApp,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<CreatedListing> {
  const response = await t.request("/v1/listings", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(listingBody(overrides)),
  });
  if (response.status !== 201) throw new Error(`createListing: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as Record<string, unknown>;
  return { id: String(body.id), etag: response.headers.get("etag") ?? "", body };
}
