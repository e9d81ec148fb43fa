ALTER TABLE "outbox" ADD COLUMN "uncertain_since" timestamp with time zone;--> statement-breakpoint
-- Rows still being retried when this is applied: how their earlier attempts failed is not known, so
-- they keep the one-hour limit of a uuid from their creation.
UPDATE "outbox" SET "uncertain_since" = "created_at" WHERE "status" IN ('pending', 'sending') AND "attempts" > 0;
