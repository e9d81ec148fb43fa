CREATE TABLE "publications" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "publications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "publications_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "bulletin_issues" DROP CONSTRAINT "bulletin_issues_year_number";--> statement-breakpoint
DROP INDEX "bulletin_issues_one_open";--> statement-breakpoint
-- Existing issues belong to the one publication the department had (org_settings.bulletin_name); a
-- database with issues but no settings gets the name the program used as a fallback.
INSERT INTO "publications" ("name", "sort_order") SELECT "bulletin_name", 0 FROM "org_settings" WHERE "id" = 1;--> statement-breakpoint
INSERT INTO "publications" ("name", "sort_order") SELECT '组工信息', 0 WHERE NOT EXISTS (SELECT 1 FROM "publications") AND EXISTS (SELECT 1 FROM "bulletin_issues");--> statement-breakpoint
ALTER TABLE "bulletin_issues" ADD COLUMN "publication_id" integer;--> statement-breakpoint
UPDATE "bulletin_issues" SET "publication_id" = (SELECT min("id") FROM "publications");--> statement-breakpoint
ALTER TABLE "bulletin_issues" ALTER COLUMN "publication_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "bulletin_issues" ADD CONSTRAINT "bulletin_issues_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bulletin_issues_one_open" ON "bulletin_issues" USING btree ("publication_id") WHERE "bulletin_issues"."status" = 'open';--> statement-breakpoint
ALTER TABLE "bulletin_issues" ADD CONSTRAINT "bulletin_issues_publication_year_number" UNIQUE("publication_id","year","number");--> statement-breakpoint
-- Adoptions are priced by their publication (its name in the line, rules keyed by it): moving an
-- issue to another publication or renaming one re-prices from its first adoption.
CREATE OR REPLACE FUNCTION score_ledger_on_issues() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM score_ledger_mark((
    SELECT min(i.adopted_at) FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN bulletin_items i ON i.issue_id = n.id
    WHERE (o.publication_id, o.year, o.number) IS DISTINCT FROM (n.publication_id, n.year, n.number)
  ));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION score_ledger_on_publications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM score_ledger_mark((
    SELECT min(i.adopted_at) FROM old_rows o JOIN new_rows n ON n.id = o.id
      JOIN bulletin_issues s ON s.publication_id = n.id JOIN bulletin_items i ON i.issue_id = s.id
    WHERE o.name IS DISTINCT FROM n.name
  ));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_ledger_publications_update AFTER UPDATE ON publications REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_publications();
