-- Custom SQL (drizzle-kit cannot express INCLUDE): the cheapest-first and newest-first indexes
-- also carry the location, so a box or radius search over a dense area walks them in order and
-- checks the place from the index alone, stopping at the page's end instead of ranking every
-- listing in the area.
DROP INDEX IF EXISTS "listings_price_idx";
--> statement-breakpoint
CREATE INDEX "listings_price_idx" ON "listings" USING btree ("nightly_price","id")
  INCLUDE ("lat", "lng") WHERE "listings"."status" = 'published';
--> statement-breakpoint
DROP INDEX IF EXISTS "listings_newest_idx";
--> statement-breakpoint
CREATE INDEX "listings_newest_idx" ON "listings" USING btree ("created_at","id")
  INCLUDE ("lat", "lng") WHERE "listings"."status" = 'published';
