-- Custom SQL: what drizzle-kit cannot express. No two date-holding bookings of a listing share a
-- night (check-out exclusive), whatever the application does.
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap" EXCLUDE USING gist (
  "listing_id" WITH =,
  daterange("check_in", "check_out", '[)') WITH &&
) WHERE ("status" in ('requested', 'pending_payment', 'confirmed', 'completed'));
--> statement-breakpoint
-- A blocked date and a date-holding booking never meet either. Both triggers lock the listing's
-- row before they look at the other table, as the application does, so two transactions cannot
-- each miss the other's row; a clash is an exclusion violation (23P01), like the constraint's.
CREATE FUNCTION "bookings_keep_off_blocked_days"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('requested', 'pending_payment', 'confirmed', 'completed') THEN
    PERFORM 1 FROM listings WHERE id = NEW.listing_id FOR UPDATE;
    IF EXISTS (
      SELECT 1 FROM calendar_days
      WHERE listing_id = NEW.listing_id AND blocked AND day >= NEW.check_in AND day < NEW.check_out
    ) THEN
      RAISE EXCEPTION 'booking % overlaps a blocked date', NEW.id
        USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'bookings_off_blocked_days';
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "bookings_keep_off_blocked_days"
  BEFORE INSERT OR UPDATE OF "status", "check_in", "check_out", "listing_id" ON "bookings"
  FOR EACH ROW EXECUTE FUNCTION "bookings_keep_off_blocked_days"();
--> statement-breakpoint
CREATE FUNCTION "calendar_days_keep_off_bookings"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.blocked THEN
    PERFORM 1 FROM listings WHERE id = NEW.listing_id FOR UPDATE;
    IF EXISTS (
      SELECT 1 FROM bookings
      WHERE listing_id = NEW.listing_id
        AND status IN ('requested', 'pending_payment', 'confirmed', 'completed')
        AND check_in <= NEW.day AND check_out > NEW.day
    ) THEN
      RAISE EXCEPTION 'blocked date % overlaps a booking', NEW.day
        USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'calendar_days_off_bookings';
    END IF;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "calendar_days_keep_off_bookings"
  BEFORE INSERT OR UPDATE OF "blocked", "day", "listing_id" ON "calendar_days"
  FOR EACH ROW EXECUTE FUNCTION "calendar_days_keep_off_bookings"();
