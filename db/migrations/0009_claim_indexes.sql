ALTER TABLE "inbox_events" ADD COLUMN "attachment" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Messages still waiting when the bot is upgraded keep their file slot.
UPDATE "inbox_events" SET "attachment" = true
  WHERE "status" = 'pending' AND coalesce("payload"->>'messageType', '') IN ('file', 'image', 'media', 'audio');--> statement-breakpoint
CREATE INDEX "inbox_events_pending_by_age" ON "inbox_events" USING btree ("attachment","received_at") WHERE "inbox_events"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_live_id" ON "outbox" USING btree ("id") WHERE "outbox"."status" in ('pending','sending');
