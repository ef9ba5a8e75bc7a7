-- Custom SQL: nearest-first search. Each published listing's position as a point on the unit
-- sphere (x, y, z) in a GiST index from the `cube` extension: chord length between two such points
-- grows with great-circle distance, so `<->` (KNN) walks listings nearest first, and
-- `<@ cube_enlarge(...)` finds those within a radius. Only built-in C functions appear in the
-- expression, so no search_path is involved when PostgreSQL re-evaluates it (VACUUM, REINDEX).
CREATE EXTENSION IF NOT EXISTS cube;
--> statement-breakpoint
CREATE INDEX "listings_earth_idx" ON "listings" USING gist (
  cube(ARRAY[cosd("lat") * cosd("lng"), cosd("lat") * sind("lng"), sind("lat")])
) WHERE "listings"."status" = 'published';
