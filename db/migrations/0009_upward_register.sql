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
ALTER TABLE "upward_submissions" ADD CONSTRAINT "upward_submissions_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upward_submissions" ADD CONSTRAINT "upward_submissions_item_id_bulletin_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."bulletin_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upward_submissions" ADD CONSTRAINT "upward_submissions_recognition_id_recognitions_id_fk" FOREIGN KEY ("recognition_id") REFERENCES "public"."recognitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "upward_submissions_sent" ON "upward_submissions" USING btree ("sent_on");--> statement-breakpoint
CREATE INDEX "upward_submissions_item" ON "upward_submissions" USING btree ("item_id");