ALTER TABLE "upward_submissions" ALTER COLUMN "draft_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "upward_submissions" ALTER COLUMN "item_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "recognitions" ADD COLUMN "whole_issue_id" integer;--> statement-breakpoint
ALTER TABLE "upward_submissions" ADD COLUMN "issue_id" integer;--> statement-breakpoint
ALTER TABLE "recognitions" ADD CONSTRAINT "recognitions_whole_issue_id_bulletin_issues_id_fk" FOREIGN KEY ("whole_issue_id") REFERENCES "public"."bulletin_issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upward_submissions" ADD CONSTRAINT "upward_submissions_issue_id_bulletin_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."bulletin_issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upward_submissions" ADD CONSTRAINT "upward_submissions_target" CHECK (("upward_submissions"."issue_id" is null and "upward_submissions"."item_id" is not null and "upward_submissions"."draft_id" is not null) or ("upward_submissions"."issue_id" is not null and "upward_submissions"."item_id" is null and "upward_submissions"."draft_id" is null));--> statement-breakpoint
-- A recognition that becomes (or stops being) part of a whole-issue adoption is priced differently.
CREATE OR REPLACE FUNCTION score_ledger_on_recognitions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM score_ledger_mark((SELECT score_ledger_day(min(occurred_on)) FROM new_rows WHERE status = 'confirmed'));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM score_ledger_mark((
      SELECT score_ledger_day(min(least(o.occurred_on, n.occurred_on)))
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.status = 'confirmed' OR n.status = 'confirmed')
        AND (o.item_id, o.draft_id, o.kind, o.level, o.outlet, o.occurred_on, o.status, o.whole_issue_id)
          IS DISTINCT FROM (n.item_id, n.draft_id, n.kind, n.level, n.outlet, n.occurred_on, n.status, n.whole_issue_id)
    ));
  ELSE
    PERFORM score_ledger_mark((SELECT score_ledger_day(min(occurred_on)) FROM old_rows WHERE status = 'confirmed'));
  END IF;
  RETURN NULL;
END $$;
