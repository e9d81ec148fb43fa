CREATE TABLE "designation_changes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "designation_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"unit_id" integer NOT NULL,
	"from_open_id" text,
	"to_open_id" text NOT NULL,
	"reason" text NOT NULL,
	"proposed_by" text NOT NULL,
	"proposed_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decline_reason" text
);
--> statement-breakpoint
CREATE TABLE "join_requests" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "join_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"open_id" text NOT NULL,
	"name" text NOT NULL,
	"unit_id" integer NOT NULL,
	"role" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decline_reason" text
);
--> statement-breakpoint
CREATE TABLE "review_handoffs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "review_handoffs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"draft_id" integer NOT NULL,
	"revision" integer NOT NULL,
	"kind" text NOT NULL,
	"from_open_id" text NOT NULL,
	"to_open_id" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reviewer_leaves" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reviewer_leaves_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"open_id" text NOT NULL,
	"until_date" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "name_source" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "name_refreshed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "topics" ADD COLUMN "unit_id" integer;--> statement-breakpoint
ALTER TABLE "designation_changes" ADD CONSTRAINT "designation_changes_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "designation_changes" ADD CONSTRAINT "designation_changes_to_open_id_people_open_id_fk" FOREIGN KEY ("to_open_id") REFERENCES "public"."people"("open_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_handoffs" ADD CONSTRAINT "review_handoffs_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviewer_leaves" ADD CONSTRAINT "reviewer_leaves_open_id_people_open_id_fk" FOREIGN KEY ("open_id") REFERENCES "public"."people"("open_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "designation_changes_unit" ON "designation_changes" USING btree ("unit_id","proposed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "designation_changes_one_pending" ON "designation_changes" USING btree ("unit_id") WHERE "designation_changes"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "join_requests_one_pending" ON "join_requests" USING btree ("open_id") WHERE "join_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "review_handoffs_draft" ON "review_handoffs" USING btree ("draft_id","revision");--> statement-breakpoint
CREATE INDEX "review_handoffs_to" ON "review_handoffs" USING btree ("to_open_id","status");--> statement-breakpoint
CREATE INDEX "reviewer_leaves_person" ON "reviewer_leaves" USING btree ("open_id");--> statement-breakpoint
ALTER TABLE "topics" ADD CONSTRAINT "topics_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;