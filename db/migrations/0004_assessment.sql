CREATE TABLE "score_adjustments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "score_adjustments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"unit_id" integer NOT NULL,
	"item_id" integer,
	"draft_id" integer,
	"officer_open_id" text,
	"section" text NOT NULL,
	"cents" integer NOT NULL,
	"reason" text NOT NULL,
	"occurred_on" date NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_by" text,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text,
	CONSTRAINT "score_adjustments_nonzero" CHECK ("score_adjustments"."cents" <> 0)
);
--> statement-breakpoint
CREATE TABLE "score_credits" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "score_credits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"at" timestamp with time zone NOT NULL,
	"officer" text NOT NULL,
	"unit_id" integer NOT NULL,
	"kind" text NOT NULL,
	"level" text,
	"piece_key" text,
	"cents" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "upward_submissions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "upward_submissions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"draft_id" integer NOT NULL,
	"item_id" integer NOT NULL,
	"level" text NOT NULL,
	"recipient" text NOT NULL,
	"channel" text NOT NULL,
	"sent_on" date NOT NULL,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"recognition_id" integer,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "score_events" ADD COLUMN "section" text;--> statement-breakpoint
ALTER TABLE "score_events" ADD COLUMN "adjustment_id" integer;--> statement-breakpoint
ALTER TABLE "score_adjustments" ADD CONSTRAINT "score_adjustments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_adjustments" ADD CONSTRAINT "score_adjustments_item_id_bulletin_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."bulletin_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_adjustments" ADD CONSTRAINT "score_adjustments_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upward_submissions" ADD CONSTRAINT "upward_submissions_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upward_submissions" ADD CONSTRAINT "upward_submissions_item_id_bulletin_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."bulletin_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upward_submissions" ADD CONSTRAINT "upward_submissions_recognition_id_recognitions_id_fk" FOREIGN KEY ("recognition_id") REFERENCES "public"."recognitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "score_adjustments_on" ON "score_adjustments" USING btree ("status","occurred_on");--> statement-breakpoint
CREATE INDEX "score_credits_at" ON "score_credits" USING btree ("at","officer","cents","unit_id","kind","level","piece_key");--> statement-breakpoint
CREATE INDEX "upward_submissions_sent" ON "upward_submissions" USING btree ("sent_on");--> statement-breakpoint
CREATE INDEX "upward_submissions_item" ON "upward_submissions" USING btree ("item_id");