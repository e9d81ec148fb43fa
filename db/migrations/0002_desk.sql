CREATE TABLE "bulletin_issues" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bulletin_issues_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"year" integer NOT NULL,
	"number" integer NOT NULL,
	"status" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"opened_by" text NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" text,
	CONSTRAINT "bulletin_issues_year_number" UNIQUE("year","number")
);
--> statement-breakpoint
CREATE TABLE "bulletin_item_sources" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bulletin_item_sources_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"item_id" integer NOT NULL,
	"draft_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	CONSTRAINT "bulletin_item_sources_draft_id_unique" UNIQUE("draft_id")
);
--> statement-breakpoint
CREATE TABLE "bulletin_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bulletin_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"issue_id" integer NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"category" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"adopted_at" timestamp with time zone NOT NULL,
	"adopted_by" text NOT NULL,
	CONSTRAINT "bulletin_items_issue_position" UNIQUE("issue_id","position")
);
--> statement-breakpoint
CREATE TABLE "draft_dispositions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "draft_dispositions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"draft_id" integer NOT NULL,
	"disposition" text NOT NULL,
	"reason" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"decided_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recognitions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "recognitions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"item_id" integer,
	"draft_id" integer,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"outlet" text,
	"occurred_on" date NOT NULL,
	"link" text,
	"evidence_sha256" text,
	"note" text,
	"status" text NOT NULL,
	"reported_by" text NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	CONSTRAINT "recognitions_target" CHECK ("recognitions"."item_id" is not null or "recognitions"."draft_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "score_rule_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"effective_from" date NOT NULL,
	"yaml" text NOT NULL,
	"rules" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bulletin_item_sources" ADD CONSTRAINT "bulletin_item_sources_item_id_bulletin_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."bulletin_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletin_item_sources" ADD CONSTRAINT "bulletin_item_sources_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletin_item_sources" ADD CONSTRAINT "bulletin_item_sources_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletin_items" ADD CONSTRAINT "bulletin_items_issue_id_bulletin_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."bulletin_issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_dispositions" ADD CONSTRAINT "draft_dispositions_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognitions" ADD CONSTRAINT "recognitions_item_id_bulletin_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."bulletin_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognitions" ADD CONSTRAINT "recognitions_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognitions" ADD CONSTRAINT "recognitions_evidence_sha256_blobs_sha256_fk" FOREIGN KEY ("evidence_sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bulletin_issues_one_open" ON "bulletin_issues" USING btree ("status") WHERE "bulletin_issues"."status" = 'open';--> statement-breakpoint
CREATE INDEX "bulletin_item_sources_item" ON "bulletin_item_sources" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "bulletin_item_sources_unit" ON "bulletin_item_sources" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "bulletin_items_adopted" ON "bulletin_items" USING btree ("adopted_at");--> statement-breakpoint
CREATE INDEX "draft_dispositions_draft" ON "draft_dispositions" USING btree ("draft_id","id");--> statement-breakpoint
CREATE INDEX "recognitions_item" ON "recognitions" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "recognitions_draft" ON "recognitions" USING btree ("draft_id");--> statement-breakpoint
CREATE INDEX "recognitions_status" ON "recognitions" USING btree ("status","occurred_on");