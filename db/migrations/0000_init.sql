CREATE TABLE "org_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"department" text NOT NULL,
	"bulletin_name" text NOT NULL,
	"group_chat_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_settings_singleton" CHECK ("org_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "people" (
	"open_id" text PRIMARY KEY NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_assignments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "role_assignments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"open_id" text NOT NULL,
	"role" text NOT NULL,
	"unit_id" integer,
	"designated" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_assignments_person_role_unit" UNIQUE NULLS NOT DISTINCT("open_id","role","unit_id"),
	CONSTRAINT "role_assignments_unit_matches_role" CHECK (("role_assignments"."role" in ('officer','reviewer')) = ("role_assignments"."unit_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "units_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "units_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"content_type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "draft_candidates" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "draft_candidates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"open_id" text NOT NULL,
	"unit_id" integer NOT NULL,
	"source_message_id" text NOT NULL,
	"draft_id" integer,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"source_type" text NOT NULL,
	"file_name" text,
	"blob_sha256" text,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "draft_candidates_source_message_id_unique" UNIQUE("source_message_id")
);
--> statement-breakpoint
CREATE TABLE "draft_revisions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "draft_revisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"draft_id" integer NOT NULL,
	"revision" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"char_count" integer NOT NULL,
	"source_type" text NOT NULL,
	"file_name" text,
	"blob_sha256" text,
	"checks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "draft_revisions_draft_revision" UNIQUE("draft_id","revision")
);
--> statement-breakpoint
CREATE TABLE "drafts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "drafts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"serial" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"author_open_id" text NOT NULL,
	"category" text NOT NULL,
	"state" text NOT NULL,
	"topic_id" integer,
	"current_revision" integer DEFAULT 1 NOT NULL,
	"title" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	CONSTRAINT "drafts_serial_unique" UNIQUE("serial"),
	CONSTRAINT "drafts_year_seq" UNIQUE("year","seq")
);
--> statement-breakpoint
CREATE TABLE "revision_intents" (
	"open_id" text PRIMARY KEY NOT NULL,
	"draft_id" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "serial_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"reason" text,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "card_messages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "card_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"purpose" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"recipient" text NOT NULL,
	"message_id" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "card_messages_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE TABLE "inbox_events" (
	"key" text PRIMARY KEY NOT NULL,
	"event_type" text NOT NULL,
	"order_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"received_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "job_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"job" text NOT NULL,
	"slot" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text,
	CONSTRAINT "job_runs_job_slot" UNIQUE("job","slot")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"uuid" uuid NOT NULL,
	"op" text NOT NULL,
	"order_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"card_message_id" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"result_message_id" text,
	CONSTRAINT "outbox_uuid_unique" UNIQUE("uuid")
);
--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_open_id_people_open_id_fk" FOREIGN KEY ("open_id") REFERENCES "public"."people"("open_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_candidates" ADD CONSTRAINT "draft_candidates_open_id_people_open_id_fk" FOREIGN KEY ("open_id") REFERENCES "public"."people"("open_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_candidates" ADD CONSTRAINT "draft_candidates_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_candidates" ADD CONSTRAINT "draft_candidates_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_candidates" ADD CONSTRAINT "draft_candidates_blob_sha256_blobs_sha256_fk" FOREIGN KEY ("blob_sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_revisions" ADD CONSTRAINT "draft_revisions_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "draft_revisions" ADD CONSTRAINT "draft_revisions_blob_sha256_blobs_sha256_fk" FOREIGN KEY ("blob_sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drafts" ADD CONSTRAINT "drafts_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drafts" ADD CONSTRAINT "drafts_author_open_id_people_open_id_fk" FOREIGN KEY ("author_open_id") REFERENCES "public"."people"("open_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revision_intents" ADD CONSTRAINT "revision_intents_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "draft_candidates_open" ON "draft_candidates" USING btree ("open_id","status");--> statement-breakpoint
CREATE INDEX "drafts_unit_submitted" ON "drafts" USING btree ("unit_id","submitted_at");--> statement-breakpoint
CREATE INDEX "drafts_state" ON "drafts" USING btree ("state");--> statement-breakpoint
CREATE INDEX "drafts_author" ON "drafts" USING btree ("author_open_id","submitted_at");--> statement-breakpoint
CREATE INDEX "drafts_submitted" ON "drafts" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "audit_log_entity" ON "audit_log" USING btree ("entity_type","entity_id","id");--> statement-breakpoint
CREATE INDEX "card_messages_entity" ON "card_messages" USING btree ("entity_type","entity_id","purpose");--> statement-breakpoint
CREATE INDEX "inbox_events_pending" ON "inbox_events" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "outbox_due" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "outbox_order" ON "outbox" USING btree ("order_key","id");
--> statement-breakpoint
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
--> statement-breakpoint
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
--> statement-breakpoint
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
--> statement-breakpoint
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
--> statement-breakpoint
-- The score ledger (score_events) is derived from the facts below. Every change to a fact marks the
-- ledger stale from the earliest instant the change can affect; the next reader re-prices from the
-- start of that quarter (domain/scoring/ledger.ts). Doing it here rather than in the application
-- means no write path can forget it: not a new feature, not a bulk import, not a fix made by hand in
-- psql. Statement-level triggers with transition tables keep bulk writes to one update per statement.
-- The update always runs when there is something to mark, so it waits on a refresh holding the row
-- and marks again after it: a refresh can never clear a mark for a fact it did not see.

INSERT INTO score_ledger (id, stale_from) VALUES (1, '1970-01-01T00:00:00Z');
--> statement-breakpoint
CREATE FUNCTION score_ledger_mark(since timestamptz) RETURNS void LANGUAGE sql AS $$
  UPDATE score_ledger SET stale_from = least(stale_from, since) WHERE since IS NOT NULL
$$;
--> statement-breakpoint
-- Local midnight of a date in the timezone the ledger is priced in. Before the first pricing there is
-- no timezone yet, and nothing to keep: the first refresh prices everything anyway.
CREATE FUNCTION score_ledger_day(d date) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN d IS NOT NULL THEN
    coalesce((SELECT d::timestamp AT TIME ZONE timezone FROM score_ledger WHERE timezone IS NOT NULL), '1970-01-01T00:00:00Z'::timestamptz)
  END
$$;
--> statement-breakpoint
-- The first instant a bulletin item's piece scores: its adoption or an earlier recognition of the
-- item or of one of its drafts (an upper adoption may come before the county bulletin took it).
CREATE FUNCTION score_ledger_item_start(item integer, adopted timestamptz) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT least(
    adopted,
    (SELECT score_ledger_day(min(r.occurred_on)) FROM recognitions r WHERE r.item_id = item),
    (SELECT score_ledger_day(min(r.occurred_on)) FROM recognitions r JOIN bulletin_item_sources s ON s.draft_id = r.draft_id WHERE s.item_id = item)
  )
$$;
--> statement-breakpoint
CREATE FUNCTION score_ledger_on_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM score_ledger_mark((SELECT min(adopted_at) FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM score_ledger_mark((
      SELECT min(score_ledger_item_start(o.id, least(o.adopted_at, n.adopted_at)))
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.issue_id, o.kind, o.category, o.title, o.adopted_at) IS DISTINCT FROM (n.issue_id, n.kind, n.category, n.title, n.adopted_at)
    ));
  ELSE
    PERFORM score_ledger_mark((SELECT min(score_ledger_item_start(id, adopted_at)) FROM old_rows));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A source joins or leaves an item: the item's units change, and the draft's own recognitions move
-- between the draft's piece and the item's. Set-based over the transition table, so that a bulk load
-- of sources costs a few joins, not a lookup per row.
CREATE FUNCTION score_ledger_on_sources() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  rows_name text;
  since timestamptz;
BEGIN
  FOREACH rows_name IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY['new_rows'] WHEN 'UPDATE' THEN ARRAY['new_rows', 'old_rows'] ELSE ARRAY['old_rows'] END LOOP
    EXECUTE format($q$
      SELECT least(
        (SELECT min(i.adopted_at) FROM %1$I x JOIN bulletin_items i ON i.id = x.item_id),
        (SELECT score_ledger_day(min(r.occurred_on)) FROM %1$I x JOIN recognitions r ON r.item_id = x.item_id),
        (SELECT score_ledger_day(min(r.occurred_on)) FROM %1$I x JOIN bulletin_item_sources s ON s.item_id = x.item_id JOIN recognitions r ON r.draft_id = s.draft_id),
        (SELECT score_ledger_day(min(r.occurred_on)) FROM %1$I x JOIN recognitions r ON r.draft_id = x.draft_id))
    $q$, rows_name) INTO since;
    PERFORM score_ledger_mark(since);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The issue's year and number are part of every adoption line (编入2026年第12期).
CREATE FUNCTION score_ledger_on_issues() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM score_ledger_mark((
    SELECT min(i.adopted_at) FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN bulletin_items i ON i.issue_id = n.id
    WHERE (o.year, o.number) IS DISTINCT FROM (n.year, n.number)
  ));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_ledger_issues_update AFTER UPDATE ON bulletin_issues REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_issues();
--> statement-breakpoint
CREATE FUNCTION score_ledger_on_recognitions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM score_ledger_mark((SELECT score_ledger_day(min(occurred_on)) FROM new_rows WHERE status = 'confirmed'));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM score_ledger_mark((
      SELECT score_ledger_day(min(least(o.occurred_on, n.occurred_on)))
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.status = 'confirmed' OR n.status = 'confirmed')
        AND (o.item_id, o.draft_id, o.kind, o.level, o.outlet, o.occurred_on, o.status)
          IS DISTINCT FROM (n.item_id, n.draft_id, n.kind, n.level, n.outlet, n.occurred_on, n.status)
    ));
  ELSE
    PERFORM score_ledger_mark((SELECT score_ledger_day(min(occurred_on)) FROM old_rows WHERE status = 'confirmed'));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A draft recognized before (or without) being put into the bulletin is scored as its own piece,
-- under its own title, category and unit. Row-level with a WHEN clause, unlike the others: drafts
-- change state all day, and those updates should not call anything; a transition-table trigger
-- cannot name its columns.
CREATE FUNCTION score_ledger_on_draft() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM score_ledger_mark((SELECT score_ledger_day(min(occurred_on)) FROM recognitions WHERE draft_id = NEW.id));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_ledger_drafts_update AFTER UPDATE OF title, category, unit_id ON drafts FOR EACH ROW
  WHEN ((OLD.title, OLD.category, OLD.unit_id) IS DISTINCT FROM (NEW.title, NEW.category, NEW.unit_id))
  EXECUTE FUNCTION score_ledger_on_draft();
--> statement-breakpoint
-- A recorded outcome (on time, late, missing) scores at the topic's deadline.
CREATE FUNCTION score_ledger_on_topic_targets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM score_ledger_mark((SELECT min(t.deadline) FROM new_rows x JOIN topics t ON t.id = x.topic_id WHERE x.outcome IS NOT NULL));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM score_ledger_mark((
      SELECT min(t.deadline) FROM old_rows o JOIN new_rows n ON n.topic_id = o.topic_id AND n.unit_id = o.unit_id JOIN topics t ON t.id = n.topic_id
      WHERE o.outcome IS DISTINCT FROM n.outcome
    ));
  ELSE
    PERFORM score_ledger_mark((SELECT min(t.deadline) FROM old_rows x JOIN topics t ON t.id = x.topic_id WHERE x.outcome IS NOT NULL));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A topic's deadline dates its outcomes and its title is in their lines.
CREATE FUNCTION score_ledger_on_topics() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM score_ledger_mark((
    SELECT min(least(o.deadline, n.deadline)) FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.deadline, o.title) IS DISTINCT FROM (n.deadline, n.title)
      AND EXISTS (SELECT 1 FROM topic_targets x WHERE x.topic_id = n.id AND x.outcome IS NOT NULL)
  ));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER score_ledger_topics_update AFTER UPDATE ON topics REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_topics();
--> statement-breakpoint
CREATE FUNCTION score_ledger_on_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM score_ledger_mark((SELECT score_ledger_day(min(effective_from)) FROM new_rows));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM score_ledger_mark((SELECT score_ledger_day(min(effective_from)) FROM old_rows));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- TRUNCATE fires none of the insert, update or delete triggers: whatever it empties, price again from nothing.
CREATE FUNCTION score_ledger_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM score_ledger_mark('1970-01-01T00:00:00Z');
  RETURN NULL;
END $$;
--> statement-breakpoint
-- The same four triggers on each table whose rows are facts: insert, update and delete through the
-- table's own function, truncate through score_ledger_on_truncate.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
    ('items', 'bulletin_items'), ('sources', 'bulletin_item_sources'), ('recognitions', 'recognitions'),
    ('topic_targets', 'topic_targets'), ('rules', 'score_rule_versions')) AS x(name, tbl)
  LOOP
    EXECUTE format('CREATE TRIGGER score_ledger_%1$s_insert AFTER INSERT ON %2$I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_%1$s()', t.name, t.tbl);
    EXECUTE format('CREATE TRIGGER score_ledger_%1$s_update AFTER UPDATE ON %2$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_%1$s()', t.name, t.tbl);
    EXECUTE format('CREATE TRIGGER score_ledger_%1$s_delete AFTER DELETE ON %2$I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_%1$s()', t.name, t.tbl);
    EXECUTE format('CREATE TRIGGER score_ledger_%1$s_truncate AFTER TRUNCATE ON %2$I FOR EACH STATEMENT EXECUTE FUNCTION score_ledger_on_truncate()', t.name, t.tbl);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE INDEX "score_events_adoptions" ON "score_events" USING btree ("at","level","unit_id","piece_key","category") WHERE "score_events"."kind" = 'adoption';
