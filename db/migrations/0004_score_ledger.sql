CREATE TABLE "score_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "score_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"unit_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"level" text,
	"cents" integer NOT NULL,
	"rule_version" integer NOT NULL,
	"description" text NOT NULL,
	"piece_key" text,
	"category" text,
	"item_id" integer,
	"draft_id" integer,
	"topic_id" integer
);
--> statement-breakpoint
CREATE TABLE "score_ledger" (
	"id" integer PRIMARY KEY NOT NULL,
	"stale_from" timestamp with time zone,
	"timezone" text,
	"refreshed_at" timestamp with time zone,
	CONSTRAINT "score_ledger_one_row" CHECK ("score_ledger"."id" = 1)
);
--> statement-breakpoint
CREATE INDEX "score_events_at" ON "score_events" USING btree ("at","unit_id","cents","kind","level");--> statement-breakpoint
CREATE INDEX "score_events_unit_at" ON "score_events" USING btree ("unit_id","at");--> statement-breakpoint
CREATE INDEX "score_events_piece" ON "score_events" USING btree ("piece_key","at");