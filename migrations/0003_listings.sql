CREATE TABLE "listings" (
	"id" text PRIMARY KEY NOT NULL,
	"host_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"property_type" text NOT NULL,
	"address_line1" text NOT NULL,
	"city" text NOT NULL,
	"region" text,
	"postal_code" text,
	"country" text NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"timezone" text NOT NULL,
	"max_guests" integer NOT NULL,
	"bedrooms" integer NOT NULL,
	"beds" integer NOT NULL,
	"bathrooms" double precision NOT NULL,
	"amenities" text[] DEFAULT '{}'::text[] NOT NULL,
	"house_rules" text,
	"check_in_time" text NOT NULL,
	"check_out_time" text NOT NULL,
	"nightly_price" integer NOT NULL,
	"currency" text NOT NULL,
	"cleaning_fee" integer DEFAULT 0 NOT NULL,
	"min_nights" integer DEFAULT 1 NOT NULL,
	"max_nights" integer DEFAULT 365 NOT NULL,
	"instant_book" boolean DEFAULT false NOT NULL,
	"cancellation_policy" text NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "listings_price_check" CHECK ("listings"."nightly_price" > 0 and "listings"."cleaning_fee" >= 0),
	CONSTRAINT "listings_nights_check" CHECK ("listings"."min_nights" >= 1 and "listings"."max_nights" >= "listings"."min_nights"),
	CONSTRAINT "listings_lat_lng_check" CHECK ("listings"."lat" between -90 and 90 and "listings"."lng" between -180 and 180),
	CONSTRAINT "listings_rating_check" CHECK ("listings"."rating_count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_host_id_users_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "listings_host_id_idx" ON "listings" USING btree ("host_id","created_at","id");--> statement-breakpoint
CREATE INDEX "listings_city_price_idx" ON "listings" USING btree ("country",lower("city"),"nightly_price","id") WHERE "listings"."status" = 'published';--> statement-breakpoint
CREATE INDEX "listings_city_newest_idx" ON "listings" USING btree ("country",lower("city"),"created_at","id") WHERE "listings"."status" = 'published';--> statement-breakpoint
CREATE INDEX "listings_price_idx" ON "listings" USING btree ("nightly_price","id") WHERE "listings"."status" = 'published';--> statement-breakpoint
CREATE INDEX "listings_newest_idx" ON "listings" USING btree ("created_at","id") WHERE "listings"."status" = 'published';--> statement-breakpoint
CREATE INDEX "listings_location_idx" ON "listings" USING gist (point("lng", "lat")) WHERE "listings"."status" = 'published';--> statement-breakpoint
CREATE INDEX "listings_amenities_idx" ON "listings" USING gin ("amenities") WHERE "listings"."status" = 'published';--> statement-breakpoint
CREATE INDEX "listings_text_idx" ON "listings" USING gin (("title" || ' ' || "city") gin_trgm_ops) WHERE "listings"."status" = 'published';