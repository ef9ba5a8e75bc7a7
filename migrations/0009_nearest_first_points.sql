-- Nearest-first searches find their first candidates by KNN over plain (lng, lat) points, then
-- rank every listing in the box round the farthest of them by true distance (see nearestFirst in
-- src/domain/listings/search-listings.ts). A point GiST walks a handful of pages where the cube
-- index of migration 0004 walked dozens, so that index goes (by hand: drizzle-kit never knew it).
CREATE INDEX "listings_position_idx" ON "listings" USING gist (point("lng", "lat")) WHERE "listings"."status" = 'published';--> statement-breakpoint
DROP INDEX IF EXISTS "listings_earth_idx";
