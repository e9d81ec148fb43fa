CREATE TABLE "dictionary_entries" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dictionary_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"op" text NOT NULL,
	"term" text NOT NULL,
	"replacement" text,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revision_bands" (
	"band_key" bigint NOT NULL,
	"revision_id" integer NOT NULL,
	"draft_id" integer NOT NULL,
	CONSTRAINT "revision_bands_band_key_revision_id_pk" PRIMARY KEY("band_key","revision_id")
);
--> statement-breakpoint
CREATE TABLE "revision_signatures" (
	"revision_id" integer PRIMARY KEY NOT NULL,
	"draft_id" integer NOT NULL,
	"shingles" integer NOT NULL,
	"indexed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "revision_bands" ADD CONSTRAINT "revision_bands_revision_id_revision_signatures_revision_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."revision_signatures"("revision_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_signatures" ADD CONSTRAINT "revision_signatures_revision_id_draft_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."draft_revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_signatures" ADD CONSTRAINT "revision_signatures_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dictionary_entries_kind" ON "dictionary_entries" USING btree ("kind","id");