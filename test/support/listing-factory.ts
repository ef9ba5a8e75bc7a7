import { listingExample } from "../../src/routes/listings/listings.routes.ts";
import type { TestApp } from "./test-app.ts";

/** A valid listing body; override any field. */
export function listingBody(overrides: Record<string, unknown> = {}) {
  return { ...listingExample, ...overrides };
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
