-- Officer credits (score_credits) name each piece's authors: a draft changing author re-prices from
-- the first instant its piece scores (its item's start, its own recognitions, adjustments on it).
CREATE FUNCTION score_ledger_on_draft_author() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM score_ledger_mark(least(
    (SELECT min(score_ledger_item_start(s.item_id, i.adopted_at)) FROM bulletin_item_sources s JOIN bulletin_items i ON i.id = s.item_id WHERE s.draft_id = NEW.id),
    (SELECT score_ledger_day(min(occurred_on)) FROM recognitions WHERE draft_id = NEW.id),
    (SELECT score_ledger_day(min(occurred_on)) FROM score_adjustments WHERE draft_id = NEW.id)));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_ledger_drafts_author AFTER UPDATE OF author_open_id ON drafts FOR EACH ROW
  WHEN (OLD.author_open_id IS DISTINCT FROM NEW.author_open_id)
  EXECUTE FUNCTION score_ledger_on_draft_author();
--> statement-breakpoint
-- Credits are new: price everything again so that every event has its credits.
UPDATE score_ledger SET stale_from = '1970-01-01T00:00:00Z';
