CREATE TABLE "conversations" (
	"id" text PRIMARY KEY NOT NULL,
	"listing_id" text NOT NULL,
	"guest_id" text NOT NULL,
	"host_id" text NOT NULL,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"guest_read_seq" integer DEFAULT 0 NOT NULL,
	"host_read_seq" integer DEFAULT 0 NOT NULL,
	"last_activity_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "conversations_parties_check" CHECK ("conversations"."guest_id" <> "conversations"."host_id"),
	CONSTRAINT "conversations_read_check" CHECK ("conversations"."guest_read_seq" between 0 and "conversations"."last_seq" and "conversations"."host_read_seq" between 0 and "conversations"."last_seq")
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"seq" integer NOT NULL,
	"sender_id" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "messages_seq_check" CHECK ("messages"."seq" >= 1),
	CONSTRAINT "messages_text_check" CHECK (char_length("messages"."text") between 1 and 2000)
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "conversation_id" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_guest_id_users_id_fk" FOREIGN KEY ("guest_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_host_id_users_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_listing_guest_idx" ON "conversations" USING btree ("listing_id","guest_id");--> statement-breakpoint
CREATE INDEX "conversations_guest_idx" ON "conversations" USING btree ("guest_id","last_activity_at","id");--> statement-breakpoint
CREATE INDEX "conversations_host_idx" ON "conversations" USING btree ("host_id","last_activity_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_conversation_seq_idx" ON "messages" USING btree ("conversation_id","seq");--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written: every booking made before conversations existed gets its guest's conversation
-- with the listing's host (empty, opened when the guest first booked there).
INSERT INTO "conversations" ("id", "listing_id", "guest_id", "host_id", "last_activity_at", "created_at")
SELECT gen_random_uuid()::text, b."listing_id", b."guest_id", l."host_id", min(b."created_at"), min(b."created_at")
FROM "bookings" b JOIN "listings" l ON l."id" = b."listing_id"
WHERE b."guest_id" <> l."host_id"
GROUP BY b."listing_id", b."guest_id", l."host_id";--> statement-breakpoint
UPDATE "bookings" b SET "conversation_id" = c."id"
FROM "conversations" c
WHERE c."listing_id" = b."listing_id" AND c."guest_id" = b."guest_id" AND b."conversation_id" IS NULL;
