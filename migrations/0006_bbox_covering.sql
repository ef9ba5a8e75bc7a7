-- Custom SQL (drizzle-kit cannot express INCLUDE): the bounding-box index also carries every
-- search sort key and the id, so a box search ranks its candidates from the index alone (an
-- index-only scan) and reads just the page's rows from the table.
DROP INDEX IF EXISTS "listings_lat_lng_idx";
--> statement-breakpoint
CREATE INDEX "listings_lat_lng_idx" ON "listings" USING btree ("lat","lng")
  INCLUDE ("nightly_price", "created_at", "rating_sum", "rating_count", "id")
  WHERE "listings"."status" = 'published';
