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
ALTER TABLE "score_events" ADD COLUMN "section" text;--> statement-breakpoint
ALTER TABLE "score_events" ADD COLUMN "adjustment_id" integer;--> statement-breakpoint
ALTER TABLE "score_adjustments" ADD CONSTRAINT "score_adjustments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_adjustments" ADD CONSTRAINT "score_adjustments_item_id_bulletin_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."bulletin_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_adjustments" ADD CONSTRAINT "score_adjustments_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "score_adjustments_on" ON "score_adjustments" USING btree ("status","occurred_on");