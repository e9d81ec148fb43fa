CREATE TABLE "score_months" (
	"month" timestamp with time zone NOT NULL,
	"unit_id" integer NOT NULL,
	"cents" integer NOT NULL,
	"events" integer NOT NULL,
	"adopted_county" integer NOT NULL,
	"adopted_city" integer NOT NULL,
	"adopted_province" integer NOT NULL,
	"adopted_central" integer NOT NULL,
	CONSTRAINT "score_months_month_unit_id_pk" PRIMARY KEY("month","unit_id")
);
--> statement-breakpoint
DROP INDEX "score_events_adoptions";--> statement-breakpoint
CREATE INDEX "score_events_adoptions" ON "score_events" USING btree ("level","at","unit_id","piece_key","category") WHERE "score_events"."kind" = 'adoption';--> statement-breakpoint
-- The sums start empty: the next reader of the ledger re-prices it from the beginning (a quarter at
-- a time, as after a change of timezone), which writes them.
UPDATE "score_ledger" SET "stale_from" = '1970-01-01T00:00:00Z';
