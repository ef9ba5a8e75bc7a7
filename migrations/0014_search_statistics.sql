-- Custom SQL (drizzle-kit cannot express statistics objects). Without them PostgreSQL has no
-- statistics for lower(city) or for the text free-text search matches: it guesses how many
-- listings a city or a text holds, and for a big city picks a plan that reads all of it. Both
-- need PostgreSQL 14 or later.
CREATE STATISTICS IF NOT EXISTS "listings_place_stats" (ndistinct, dependencies, mcv) ON "country", lower("city") FROM "listings";
--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "listings_text_stats" ON (("title" || ' ' || "city")) FROM "listings";
--> statement-breakpoint
ANALYZE "listings";
