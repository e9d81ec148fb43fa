-- Manual 加分/扣分 (score_adjustments) are scored facts: like the fact tables of the initial migration, every
-- change marks the score ledger stale from the adjustment's date. They change rarely (recorded,
-- revoked), so any update marks both dates.
CREATE FUNCTION score_ledger_on_adjustments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM score_ledger_mark((SELECT score_ledger_day(min(occurred_on)) FROM new_rows));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM score_ledger_mark((SELECT score_ledger_day(min(occurred_on)) FROM old_rows));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_ledger_adjustments_insert AFTER INSERT ON score_adjustments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_adjustments();
--> statement-breakpoint
CREATE TRIGGER score_ledger_adjustments_update AFTER UPDATE ON score_adjustments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_adjustments();
--> statement-breakpoint
CREATE TRIGGER score_ledger_adjustments_delete AFTER DELETE ON score_adjustments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_adjustments();
--> statement-breakpoint
CREATE TRIGGER score_ledger_adjustments_truncate AFTER TRUNCATE ON score_adjustments FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_truncate();
--> statement-breakpoint
-- Every ledger row now names its assessment section: price everything again.
UPDATE score_ledger SET stale_from = '1970-01-01T00:00:00Z';
--> statement-breakpoint
-- The assessment table sums a year by unit and section.
CREATE INDEX score_events_sections ON score_events (at, unit_id, section, cents);
