-- Each listing keeps the JSON text a search shows of it (a SearchItem without distanceKm), so that a
-- search sends what it finds as it is: building it per search cost more than finding the rows. The
-- column is generated, so PostgreSQL rewrites it whenever the row changes. to_json escapes text;
-- numbers print in PostgreSQL's shortest exact form, which JSON reads as the same values; the
-- rating rounds halves up, as ratingOf does. IMMUTABLE as a generated column requires: for these
-- argument types the text depends on the arguments alone. Changing the JSON means a new function
-- and a new column (see searchRow in src/domain/listings/search-listings.ts).
CREATE FUNCTION listing_search_item(
  id text, title text, property_type text, city text, country text, lat float8, lng float8,
  max_guests integer, bedrooms integer, beds integer, bathrooms float8, nightly_price integer,
  currency text, instant_book boolean, rating_sum integer, rating_count integer, photos jsonb
) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT concat('{"id":', to_json(id), ',"title":', to_json(title),
    ',"propertyType":', to_json(property_type), ',"city":', to_json(city),
    ',"country":', to_json(country), ',"location":{"lat":', lat, ',"lng":', lng,
    '},"maxGuests":', max_guests, ',"bedrooms":', bedrooms, ',"beds":', beds,
    ',"bathrooms":', bathrooms, ',"nightlyPrice":', nightly_price, ',"currency":', to_json(currency),
    ',"instantBook":', instant_book::text,
    ',"rating":{"average":', coalesce((floor(rating_sum * 100::float8 / nullif(rating_count, 0) + 0.5) / 100)::text, 'null'),
    ',"count":', rating_count, '},"photo":', coalesce((photos -> 0)::text, 'null'), '}')
$$;--> statement-breakpoint
ALTER TABLE "listings" ADD COLUMN "search_item" text GENERATED ALWAYS AS (listing_search_item(id, title, property_type, city, country, lat, lng, max_guests, bedrooms, beds, bathrooms, nightly_price, currency, instant_book, rating_sum, rating_count, photos)) STORED NOT NULL;