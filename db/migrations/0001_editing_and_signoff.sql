CREATE TABLE "bulletin_approvals" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bulletin_approvals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"job" text NOT NULL,
	"period" text NOT NULL,
	"title" text NOT NULL,
	"status" text NOT NULL,
	"card" jsonb NOT NULL,
	"comment" text,
	"group_chat_id" text NOT NULL,
	"prepared_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	CONSTRAINT "bulletin_approvals_job_period" UNIQUE("job","period")
);
--> statement-breakpoint
CREATE TABLE "bulletin_item_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bulletin_item_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"item_id" integer NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"editor_note" text,
	"source" text NOT NULL,
	"file_name" text,
	"blob_sha256" text,
	"edited_by" text NOT NULL,
	"edited_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bulletin_item_versions_item_version" UNIQUE("item_id","version")
);
--> statement-breakpoint
CREATE TABLE "issue_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"signers" jsonb NOT NULL,
	"distribution" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "issue_signoffs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "issue_signoffs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"issue_id" integer NOT NULL,
	"revision" integer NOT NULL,
	"status" text NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"comment" text
);
--> statement-breakpoint
ALTER TABLE "bulletin_issues" ADD COLUMN "revision" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "bulletin_issues" ADD COLUMN "editor_note" text;--> statement-breakpoint
ALTER TABLE "bulletin_items" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "bulletin_items" ADD COLUMN "editor_note" text;--> statement-breakpoint
ALTER TABLE "bulletin_item_versions" ADD CONSTRAINT "bulletin_item_versions_item_id_bulletin_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."bulletin_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulletin_item_versions" ADD CONSTRAINT "bulletin_item_versions_blob_sha256_blobs_sha256_fk" FOREIGN KEY ("blob_sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_signoffs" ADD CONSTRAINT "issue_signoffs_issue_id_bulletin_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."bulletin_issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulletin_approvals_status" ON "bulletin_approvals" USING btree ("status");--> statement-breakpoint
CREATE INDEX "issue_signoffs_issue" ON "issue_signoffs" USING btree ("issue_id","id");