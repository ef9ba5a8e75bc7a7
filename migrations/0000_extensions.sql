-- Custom SQL (drizzle-kit cannot express extensions).
-- btree_gist: the bookings exclusion constraint (listing_id WITH =, daterange WITH &&).
-- pg_trgm: indexed free-text search over listing titles and cities.
-- Both are trusted extensions on PostgreSQL 13+, available on Neon and bundled with PGlite.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
