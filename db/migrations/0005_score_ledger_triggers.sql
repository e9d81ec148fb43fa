-- The score ledger (score_events) is derived from the facts below. Every change to a fact marks the
-- ledger stale from the earliest instant the change can affect; the next reader re-prices from the
-- start of that quarter (domain/scoring/ledger.ts). Doing it here rather than in the application
-- means no write path can forget it: not a new feature, not a bulk import, not a fix made by hand in
-- psql. Statement-level triggers with transition tables keep bulk writes to one update per statement.
-- The update always runs when there is something to mark, so it waits on a refresh holding the row
-- and marks again after it: a refresh can never clear a mark for a fact it did not see.

INSERT INTO score_ledger (id, stale_from) VALUES (1, '1970-01-01T00:00:00Z');
--> statement-breakpoint
CREATE FUNCTION score_ledger_mark(since timestamptz) RETURNS void LANGUAGE sql AS $$
  UPDATE score_ledger SET stale_from = least(stale_from, since) WHERE since IS NOT NULL
$$;
--> statement-breakpoint
-- Local midnight of a date in the timezone the ledger is priced in. Before the first pricing there is
-- no timezone yet, and nothing to keep: the first refresh prices everything anyway.
CREATE FUNCTION score_ledger_day(d date) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN d IS NOT NULL THEN
    coalesce((SELECT d::timestamp AT TIME ZONE timezone FROM score_ledger WHERE timezone IS NOT NULL), '1970-01-01T00:00:00Z'::timestamptz)
  END
$$;
--> statement-breakpoint
-- The first instant a bulletin item's piece scores: its adoption or an earlier recognition of the
-- item or of one of its drafts (an upper adoption may come before the county bulletin took it).
CREATE FUNCTION score_ledger_item_start(item integer, adopted timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT least(
    adopted,
    (SELECT score_ledger_day(min(r.occurred_on)) FROM recognitions r WHERE r.item_id = item),
    (SELECT score_ledger_day(min(r.occurred_on)) FROM recognitions r JOIN bulletin_item_sources s ON s.draft_id = r.draft_id WHERE s.item_id = item)
  )
$$;
--> statement-breakpoint
CREATE FUNCTION score_ledger_on_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM score_ledger_mark((SELECT min(adopted_at) FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM score_ledger_mark((
      SELECT min(score_ledger_item_start(o.id, least(o.adopted_at, n.adopted_at)))
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.issue_id, o.kind, o.category, o.title, o.adopted_at) IS DISTINCT FROM (n.issue_id, n.kind, n.category, n.title, n.adopted_at)
    ));
  ELSE
    PERFORM score_ledger_mark((SELECT min(score_ledger_item_start(id, adopted_at)) FROM old_rows));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A source joins or leaves an item: the item's units change, and the draft's own recognitions move
-- between the draft's piece and the item's. Set-based over the transition table, so that a bulk load
-- of sources costs a few joins, not a lookup per row.
CREATE FUNCTION score_ledger_on_sources() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  rows_name text;
  since timestamptz;
BEGIN
  FOREACH rows_name IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'UPDATE' THEN ARRAY['new_rows', 'old_rows'] ELSE ARRAY['old_rows'] END LOOP
    EXECUTE format($q$
      SELECT least(
        (SELECT min(i.adopted_at) FROM %1$I x JOIN bulletin_items i ON i.id = x.item_id),
        (SELECT score_ledger_day(min(r.occurred_on)) FROM %1$I x JOIN recognitions r ON r.item_id = x.item_id),
        (SELECT score_ledger_day(min(r.occurred_on)) FROM %1$I x JOIN bulletin_item_sources s ON s.item_id = x.item_id JOIN recognitions r ON r.draft_id = s.draft_id),
        (SELECT score_ledger_day(min(r.occurred_on)) FROM %1$I x JOIN recognitions r ON r.draft_id = x.draft_id))
    $q$, rows_name) INTO since;
    PERFORM score_ledger_mark(since);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The issue's year and number are part of every adoption line (编入2026年第12期).
CREATE FUNCTION score_ledger_on_issues() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM score_ledger_mark((
    SELECT min(i.adopted_at) FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN bulletin_items i ON i.issue_id = n.id
    WHERE (o.year, o.number) IS DISTINCT FROM (n.year, n.number)
  ));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_ledger_issues_update AFTER UPDATE ON bulletin_issues REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_issues();
--> statement-breakpoint
CREATE FUNCTION score_ledger_on_recognitions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM score_ledger_mark((SELECT score_ledger_day(min(occurred_on)) FROM new_rows WHERE status = 'confirmed'));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM score_ledger_mark((
      SELECT score_ledger_day(min(least(o.occurred_on, n.occurred_on)))
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.status = 'confirmed' OR n.status = 'confirmed')
        AND (o.item_id, o.draft_id, o.kind, o.level, o.outlet, o.occurred_on, o.status)
          IS DISTINCT FROM (n.item_id, n.draft_id, n.kind, n.level, n.outlet, n.occurred_on, n.status)
    ));
  ELSE
    PERFORM score_ledger_mark((SELECT score_ledger_day(min(occurred_on)) FROM old_rows WHERE status = 'confirmed'));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A draft recognized before (or without) being put into the bulletin is scored as its own piece,
-- under its own title, category and unit. Row-level with a WHEN clause, unlike the others: drafts
-- change state all day, and those updates should not call anything; a transition-table trigger
-- cannot name its columns.
CREATE FUNCTION score_ledger_on_draft() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM score_ledger_mark((SELECT score_ledger_day(min(occurred_on)) FROM recognitions WHERE draft_id = NEW.id));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_ledger_drafts_update AFTER UPDATE OF title, category, unit_id ON drafts FOR EACH ROW
  WHEN ((OLD.title, OLD.category, OLD.unit_id) IS DISTINCT FROM (NEW.title, NEW.category, NEW.unit_id))
  EXECUTE FUNCTION score_ledger_on_draft();
--> statement-breakpoint
-- A recorded outcome (on time, late, missing) scores at the topic's deadline.
CREATE FUNCTION score_ledger_on_topic_targets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM score_ledger_mark((SELECT min(t.deadline) FROM new_rows x JOIN topics t ON t.id = x.topic_id WHERE x.outcome IS NOT NULL));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM score_ledger_mark((
      SELECT min(t.deadline) FROM old_rows o JOIN new_rows n ON n.topic_id = o.topic_id AND n.unit_id = o.unit_id JOIN topics t ON t.id = n.topic_id
      WHERE o.outcome IS DISTINCT FROM n.outcome
    ));
  ELSE
    PERFORM score_ledger_mark((SELECT min(t.deadline) FROM old_rows x JOIN topics t ON t.id = x.topic_id WHERE x.outcome IS NOT NULL));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A topic's deadline dates its outcomes and its title is in their lines.
CREATE FUNCTION score_ledger_on_topics() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM score_ledger_mark((
    SELECT min(least(o.deadline, n.deadline)) FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.deadline, o.title) IS DISTINCT FROM (n.deadline, n.title)
      AND EXISTS (SELECT 1 FROM topic_targets x WHERE x.topic_id = n.id AND x.outcome IS NOT NULL)
  ));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_ledger_topics_update AFTER UPDATE ON topics REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_topics();
--> statement-breakpoint
CREATE FUNCTION score_ledger_on_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM score_ledger_mark((SELECT score_ledger_day(min(effective_from)) FROM new_rows));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM score_ledger_mark((SELECT score_ledger_day(min(effective_from)) FROM old_rows));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- TRUNCATE fires none of the insert, update or delete triggers: whatever it empties, price again from nothing.
CREATE FUNCTION score_ledger_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM score_ledger_mark('1970-01-01T00:00:00Z');
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The same four triggers on each table whose rows are facts: insert, update and delete through the
-- table's own function, truncate through score_ledger_on_truncate.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
    ('items', 'bulletin_items'), ('sources', 'bulletin_item_sources'), ('recognitions', 'recognitions'),
    ('topic_targets', 'topic_targets'), ('rules', 'score_rule_versions')) AS x(name, tbl)
  LOOP
    EXECUTE format('CREATE TRIGGER score_ledger_%1$s_insert AFTER INSERT ON %2$I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_%1$s()', t.name, t.tbl);
    EXECUTE format('CREATE TRIGGER score_ledger_%1$s_update AFTER UPDATE ON %2$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_%1$s()', t.name, t.tbl);
    EXECUTE format('CREATE TRIGGER score_ledger_%1$s_delete AFTER DELETE ON %2$I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_%1$s()', t.name, t.tbl);
    EXECUTE format('CREATE TRIGGER score_ledger_%1$s_truncate AFTER TRUNCATE ON %2$I FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_truncate()', t.name, t.tbl);
  END LOOP;
END $$;
