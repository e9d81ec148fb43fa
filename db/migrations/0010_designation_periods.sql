CREATE TABLE "designation_periods" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "designation_periods_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"unit_id" integer NOT NULL,
	"open_id" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"until" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "designation_periods" ADD CONSTRAINT "designation_periods_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "designation_periods" ADD CONSTRAINT "designation_periods_open_id_people_open_id_fk" FOREIGN KEY ("open_id") REFERENCES "public"."people"("open_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "designation_periods_unit" ON "designation_periods" USING btree ("unit_id","since");--> statement-breakpoint
-- Every write that makes an officer the unit's designated one opens a stretch, every write that ends
-- it closes one, at the row's updated_at (the application's clock, which every roster write sets).
-- A unit's first stretch reaches back: before the roster named anyone, nobody else is known.
CREATE FUNCTION designation_periods_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was boolean := TG_OP = 'UPDATE' AND OLD.role = 'officer' AND OLD.designated AND OLD.active;
  is_now boolean := NEW.role = 'officer' AND NEW.designated AND NEW.active;
  same boolean := TG_OP = 'UPDATE' AND OLD.unit_id IS NOT DISTINCT FROM NEW.unit_id AND OLD.open_id = NEW.open_id;
BEGIN
  IF was AND NOT (is_now AND same) THEN
    UPDATE designation_periods SET until = NEW.updated_at WHERE unit_id = OLD.unit_id AND open_id = OLD.open_id AND until IS NULL;
  END IF;
  IF is_now AND NOT (was AND same) THEN
    INSERT INTO designation_periods (unit_id, open_id, since)
      VALUES (NEW.unit_id, NEW.open_id,
        CASE WHEN EXISTS (SELECT 1 FROM designation_periods WHERE unit_id = NEW.unit_id) THEN NEW.updated_at ELSE '1970-01-01T00:00:00Z' END);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER designation_periods_track AFTER INSERT OR UPDATE OF designated, active, role, unit_id, open_id ON role_assignments
  FOR EACH ROW EXECUTE FUNCTION designation_periods_track();
--> statement-breakpoint
-- Designations made before this migration: their start is not recorded, so they reach back too.
INSERT INTO designation_periods (unit_id, open_id, since)
  SELECT unit_id, open_id, '1970-01-01T00:00:00Z' FROM role_assignments WHERE role = 'officer' AND designated AND active;
