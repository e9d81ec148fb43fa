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
CREATE INDEX "score_credits_at" ON "score_credits" USING btree ("at","officer","cents","unit_id","kind","level","piece_key");