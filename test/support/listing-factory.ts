import type { z } from "@hono/zod-openapi";
import type { Listing, newListingSchema } from "../../src/domain/listings/listing-schemas.ts";
import {
  createListing as createListingRoute,
  listingExample,
} from "../../src/routes/listings/listings.routes.ts";
import type { TestApp } from "./test-app.ts";

export type NewListing = z.input<typeof newListingSchema>;

/** A valid listing body (the documented example, published); override any field. */
export function listingBody(overrides: Partial<NewListing> = {}): NewListing {
  return { ...listingExample, ...overrides };
}

export interface CreatedListing {
  id: string;
  etag: string;
  body: Listing;
}

/** Creates a listing through the API as the holder of `token`; throws with the answer on failure. */
export async function createListing(
  t: TestApp,
  token: string,
  overrides: Partial<NewListing> = {},
): Promise<CreatedListing> {
  const answer = await t.call(createListingRoute, { token, body: listingBody(overrides) });
  if (answer.status !== 201) throw new Error(`createListing: ${answer.status} ${answer.text}`);
  return { id: answer.body.id, etag: answer.headers.get("etag") ?? "", body: answer.body };
}
