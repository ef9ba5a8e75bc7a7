CREATE TABLE "reviews" (
	"id" text PRIMARY KEY NOT NULL,
	"booking_id" text NOT NULL,
	"listing_id" text NOT NULL,
	"side" text NOT NULL,
	"author_id" text NOT NULL,
	"subject_id" text NOT NULL,
	"status" text NOT NULL,
	"rating" integer NOT NULL,
	"cleanliness" integer,
	"accuracy" integer,
	"check_in" integer,
	"communication" integer,
	"location" integer,
	"value" integer,
	"comment" text NOT NULL,
	"private_note" text,
	"would_host_again" boolean,
	"reply" text,
	"replied_at" timestamp with time zone,
	"hidden_reason" text,
	"window_closes_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reviews_stars_check" CHECK ("reviews"."rating" between 1 and 5 and coalesce("reviews"."cleanliness", 1) between 1 and 5
        and coalesce("reviews"."accuracy", 1) between 1 and 5 and coalesce("reviews"."check_in", 1) between 1 and 5
        and coalesce("reviews"."communication", 1) between 1 and 5 and coalesce("reviews"."location", 1) between 1 and 5
        and coalesce("reviews"."value", 1) between 1 and 5),
	CONSTRAINT "reviews_side_check" CHECK (("reviews"."side" = 'guest' and "reviews"."cleanliness" is not null and "reviews"."accuracy" is not null
          and "reviews"."check_in" is not null and "reviews"."communication" is not null and "reviews"."location" is not null
          and "reviews"."value" is not null and "reviews"."would_host_again" is null)
        or ("reviews"."side" = 'host' and "reviews"."cleanliness" is null and "reviews"."private_note" is null
          and "reviews"."would_host_again" is not null and "reviews"."reply" is null))
);
--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "cleanliness_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "accuracy_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "check_in_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "communication_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "location_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "value_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_subject_id_users_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_one_per_side_idx" ON "reviews" USING btree ("booking_id","side");--> statement-breakpoint
CREATE INDEX "reviews_listing_idx" ON "reviews" USING btree ("listing_id","published_at","id") WHERE "reviews"."status" = 'published' and "reviews"."side" = 'guest';--> statement-breakpoint
CREATE INDEX "reviews_subject_idx" ON "reviews" USING btree ("subject_id","side","published_at","id") WHERE "reviews"."status" = 'published';--> statement-breakpoint
CREATE INDEX "reviews_due_idx" ON "reviews" USING btree ("window_closes_at") WHERE "reviews"."status" = 'pending';