-- Search items are built from their columns in the application again (one mapping function for
-- the API's shape), so the stored JSON text and the function that wrote it go.
ALTER TABLE "listings" DROP COLUMN "search_item";--> statement-breakpoint
DROP FUNCTION IF EXISTS listing_search_item(text, text, text, text, text, float8, float8, integer, integer, integer, float8, integer, text, boolean, integer, integer, jsonb);
