CREATE TABLE "sent_reminders" (
	"key" text PRIMARY KEY NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "topic_answers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "topic_answers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"topic_id" integer NOT NULL,
	"draft_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	"linked_by" text NOT NULL,
	"unlinked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "topic_targets" (
	"topic_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"claimed_by" text,
	"claimed_at" timestamp with time zone,
	"outcome" text,
	"outcome_at" timestamp with time zone,
	CONSTRAINT "topic_targets_topic_id_unit_id_pk" PRIMARY KEY("topic_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "topics_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"brief" text DEFAULT '' NOT NULL,
	"category" text NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"deadline_set_at" timestamp with time zone NOT NULL,
	"all_units" boolean NOT NULL,
	"pieces_per_unit" integer,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"settled_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"source_key" text,
	CONSTRAINT "topics_source_key_unique" UNIQUE("source_key")
);
--> statement-breakpoint
DROP INDEX "outbox_due";--> statement-breakpoint
DROP INDEX "outbox_order";--> statement-breakpoint
DROP INDEX "inbox_events_pending";--> statement-breakpoint
ALTER TABLE "topic_answers" ADD CONSTRAINT "topic_answers_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topic_answers" ADD CONSTRAINT "topic_answers_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topic_answers" ADD CONSTRAINT "topic_answers_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topic_targets" ADD CONSTRAINT "topic_targets_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topic_targets" ADD CONSTRAINT "topic_targets_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topic_targets" ADD CONSTRAINT "topic_targets_claimed_by_people_open_id_fk" FOREIGN KEY ("claimed_by") REFERENCES "public"."people"("open_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topics" ADD CONSTRAINT "topics_created_by_people_open_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."people"("open_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "topic_answers_topic" ON "topic_answers" USING btree ("topic_id","unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "topic_answers_live_draft" ON "topic_answers" USING btree ("draft_id") WHERE "topic_answers"."unlinked_at" is null;--> statement-breakpoint
CREATE INDEX "topic_targets_unit" ON "topic_targets" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "topics_status_deadline" ON "topics" USING btree ("status","deadline");--> statement-breakpoint
CREATE INDEX "outbox_live_due" ON "outbox" USING btree ("next_attempt_at") WHERE "outbox"."status" in ('pending','sending');--> statement-breakpoint
CREATE INDEX "outbox_live_order" ON "outbox" USING btree ("order_key","id") WHERE "outbox"."status" in ('pending','sending');--> statement-breakpoint
CREATE INDEX "outbox_failed" ON "outbox" USING btree ("id") WHERE "outbox"."status" = 'failed';--> statement-breakpoint
CREATE INDEX "inbox_events_pending" ON "inbox_events" USING btree ("order_key","received_at") WHERE "inbox_events"."status" = 'pending';