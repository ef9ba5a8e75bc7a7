DROP INDEX "listings_location_idx";--> statement-breakpoint
CREATE INDEX "listings_lat_lng_idx" ON "listings" USING btree ("lat","lng") WHERE "listings"."status" = 'published';