CREATE TABLE "calendar_exports" (
	"listing_id" text PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_imports" (
	"id" text PRIMARY KEY NOT NULL,
	"listing_id" text NOT NULL,
	"url" text NOT NULL,
	"name" text,
	"created_at" timestamp with time zone NOT NULL,
	"next_fetch_at" timestamp with time zone NOT NULL,
	"last_fetched_at" timestamp with time zone,
	"last_synced_at" timestamp with time zone,
	"last_error" text,
	"failures" integer DEFAULT 0 NOT NULL,
	"conflicts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "calendar_imports_failures_check" CHECK ("calendar_imports"."failures" >= 0)
);
--> statement-breakpoint
ALTER TABLE "calendar_days" ADD COLUMN "import_id" text;--> statement-breakpoint
ALTER TABLE "calendar_exports" ADD CONSTRAINT "calendar_exports_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_imports" ADD CONSTRAINT "calendar_imports_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_imports_listing_url_idx" ON "calendar_imports" USING btree ("listing_id","url");--> statement-breakpoint
CREATE INDEX "calendar_imports_due_idx" ON "calendar_imports" USING btree ("next_fetch_at");--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_import_id_calendar_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."calendar_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calendar_days_import_idx" ON "calendar_days" USING btree ("import_id","day") WHERE "calendar_days"."import_id" is not null;--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_import_check" CHECK ("calendar_days"."import_id" is null or "calendar_days"."blocked");