-- Custom SQL: the grid indexes again, with INCLUDE (drizzle-kit cannot express it) growing by the
-- columns of a listing's stay rules, so a dated place search checks each candidate's nights,
-- notice and booking window from the grid index alone, as it checks its place and price.
DROP INDEX "listings_cell_0_idx";--> statement-breakpoint
CREATE INDEX "listings_cell_0_idx" ON "listings" USING btree ("cell_0","nightly_price","id") INCLUDE ("lat", "lng", "created_at", "rating_sum", "rating_count", "min_nights", "max_nights", "advance_notice_days", "booking_window_days", "timezone") WHERE "listings"."status" = 'published';--> statement-breakpoint
DROP INDEX "listings_cell_0_newest_idx";--> statement-breakpoint
CREATE INDEX "listings_cell_0_newest_idx" ON "listings" USING btree ("cell_0","created_at","id") INCLUDE ("lat", "lng", "nightly_price", "min_nights", "max_nights", "advance_notice_days", "booking_window_days", "timezone") WHERE "listings"."status" = 'published';--> statement-breakpoint
DROP INDEX "listings_cell_0_rating_idx";--> statement-breakpoint
CREATE INDEX "listings_cell_0_rating_idx" ON "listings" USING btree ("cell_0",(case when "rating_count" = 0 then -1 else "rating_sum"::float8 / "rating_count" end),"id") INCLUDE ("lat", "lng", "nightly_price", "rating_sum", "rating_count", "min_nights", "max_nights", "advance_notice_days", "booking_window_days", "timezone") WHERE "listings"."status" = 'published';--> statement-breakpoint
DROP INDEX "listings_cell_1_idx";--> statement-breakpoint
CREATE INDEX "listings_cell_1_idx" ON "listings" USING btree ("cell_1","nightly_price","id") INCLUDE ("lat", "lng", "created_at", "rating_sum", "rating_count", "min_nights", "max_nights", "advance_notice_days", "booking_window_days", "timezone") WHERE "listings"."status" = 'published';--> statement-breakpoint
DROP INDEX "listings_cell_1_newest_idx";--> statement-breakpoint
CREATE INDEX "listings_cell_1_newest_idx" ON "listings" USING btree ("cell_1","created_at","id") INCLUDE ("lat", "lng", "nightly_price", "min_nights", "max_nights", "advance_notice_days", "booking_window_days", "timezone") WHERE "listings"."status" = 'published';--> statement-breakpoint
DROP INDEX "listings_cell_1_rating_idx";--> statement-breakpoint
CREATE INDEX "listings_cell_1_rating_idx" ON "listings" USING btree ("cell_1",(case when "rating_count" = 0 then -1 else "rating_sum"::float8 / "rating_count" end),"id") INCLUDE ("lat", "lng", "nightly_price", "rating_sum", "rating_count", "min_nights", "max_nights", "advance_notice_days", "booking_window_days", "timezone") WHERE "listings"."status" = 'published';--> statement-breakpoint
DROP INDEX "listings_cell_2_idx";--> statement-breakpoint
CREATE INDEX "listings_cell_2_idx" ON "listings" USING btree ("cell_2","nightly_price","id") INCLUDE ("lat", "lng", "created_at", "rating_sum", "rating_count", "min_nights", "max_nights", "advance_notice_days", "booking_window_days", "timezone") WHERE "listings"."status" = 'published';--> statement-breakpoint
DROP INDEX "listings_cell_2_newest_idx";--> statement-breakpoint
CREATE INDEX "listings_cell_2_newest_idx" ON "listings" USING btree ("cell_2","created_at","id") INCLUDE ("lat", "lng", "nightly_price", "min_nights", "max_nights", "advance_notice_days", "booking_window_days", "timezone") WHERE "listings"."status" = 'published';--> statement-breakpoint
DROP INDEX "listings_cell_2_rating_idx";--> statement-breakpoint
CREATE INDEX "listings_cell_2_rating_idx" ON "listings" USING btree ("cell_2",(case when "rating_count" = 0 then -1 else "rating_sum"::float8 / "rating_count" end),"id") INCLUDE ("lat", "lng", "nightly_price", "rating_sum", "rating_count", "min_nights", "max_nights", "advance_notice_days", "booking_window_days", "timezone") WHERE "listings"."status" = 'published';--> statement-breakpoint
DROP INDEX "listings_cell_3_idx";--> statement-breakpoint
CREATE INDEX "listings_cell_3_idx" ON "listings" USING btree ("cell_3","nightly_price","id") INCLUDE ("lat", "lng", "created_at", "rating_sum", "rating_count", "min_nights", "max_nights", "advance_notice_days", "booking_window_days", "timezone") WHERE "listings"."status" = 'published';--> statement-breakpoint
DROP INDEX "listings_cell_3_newest_idx";--> statement-breakpoint
CREATE INDEX "listings_cell_3_newest_idx" ON "listings" USING btree ("cell_3","created_at","id") INCLUDE ("lat", "lng", "nightly_price", "min_nights", "max_nights", "advance_notice_days", "booking_window_days", "timezone") WHERE "listings"."status" = 'published';--> statement-breakpoint
DROP INDEX "listings_cell_3_rating_idx";--> statement-breakpoint
CREATE INDEX "listings_cell_3_rating_idx" ON "listings" USING btree ("cell_3",(case when "rating_count" = 0 then -1 else "rating_sum"::float8 / "rating_count" end),"id") INCLUDE ("lat", "lng", "nightly_price", "rating_sum", "rating_count", "min_nights", "max_nights", "advance_notice_days", "booking_window_days", "timezone") WHERE "listings"."status" = 'published';
