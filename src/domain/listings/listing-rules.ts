import { invalidField } from "../errors.ts";
import type { ListingInput } from "./listing-schemas.ts";

/** Rules across fields that the schema checks one by one. */
export function checkListing(input: Pick<ListingInput, "minNights" | "maxNights">): void {
  if (input.maxNights < input.minNights) {
    throw invalidField(
      "maxNights",
      "Must be greater than or equal to minNights",
      "maxNights must be at least minNights.",
    );
  }
}

export const listingCacheKey = (id: string) => `listing:v4:${id}`;
export const LISTING_CACHE_TTL_SECONDS = 300;
