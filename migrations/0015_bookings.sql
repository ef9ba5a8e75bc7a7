CREATE TABLE "booking_events" (
	"id" text PRIMARY KEY NOT NULL,
	"booking_id" text NOT NULL,
	"actor_id" text,
	"actor_role" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" text PRIMARY KEY NOT NULL,
	"listing_id" text NOT NULL,
	"guest_id" text NOT NULL,
	"host_id" text NOT NULL,
	"check_in" date NOT NULL,
	"check_out" date NOT NULL,
	"guests" integer NOT NULL,
	"status" text NOT NULL,
	"quote" jsonb NOT NULL,
	"message" text,
	"hold_expires_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"payment_authorized_at" timestamp with time zone,
	"cancelled_by" text,
	"refund_due" integer,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bookings_dates_check" CHECK ("bookings"."check_out" > "bookings"."check_in"),
	CONSTRAINT "bookings_guests_check" CHECK ("bookings"."guests" >= 1)
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"listing_id" text NOT NULL,
	"day" date NOT NULL,
	"blocked" boolean DEFAULT false NOT NULL,
	"price" integer,
	CONSTRAINT "calendar_days_listing_id_day_pk" PRIMARY KEY("listing_id","day"),
	CONSTRAINT "calendar_days_meaningful_check" CHECK ("calendar_days"."blocked" or "calendar_days"."price" is not null),
	CONSTRAINT "calendar_days_price_check" CHECK ("calendar_days"."price" > 0)
);
--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "advance_notice_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "booking_window_days" integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "weekly_discount_percent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "monthly_discount_percent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_events" ADD CONSTRAINT "booking_events_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booking_events" ADD CONSTRAINT "booking_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_guest_id_users_id_fk" FOREIGN KEY ("guest_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_host_id_users_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booking_events_booking_idx" ON "booking_events" USING btree ("booking_id","at");--> statement-breakpoint
CREATE INDEX "bookings_guest_idx" ON "bookings" USING btree ("guest_id","created_at","id");--> statement-breakpoint
CREATE INDEX "bookings_host_idx" ON "bookings" USING btree ("host_id","created_at","id");--> statement-breakpoint
CREATE INDEX "bookings_listing_idx" ON "bookings" USING btree ("listing_id","check_in","id");--> statement-breakpoint
CREATE INDEX "bookings_hold_expiry_idx" ON "bookings" USING btree ("hold_expires_at") WHERE "bookings"."status" in ('requested', 'pending_payment');--> statement-breakpoint
CREATE INDEX "bookings_stay_end_idx" ON "bookings" USING btree ("check_out") WHERE "bookings"."status" = 'confirmed';--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_booking_settings_check" CHECK ("listings"."advance_notice_days" between 0 and 30 and "listings"."booking_window_days" between 30 and 730
        and "listings"."weekly_discount_percent" between 0 and 90 and "listings"."monthly_discount_percent" between 0 and 90);