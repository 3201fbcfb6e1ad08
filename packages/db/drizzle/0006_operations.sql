CREATE TABLE "job_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"job" text NOT NULL,
	"slot" text NOT NULL,
	"instance" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "job_runs_job_check" CHECK (length("job_runs"."job") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "setup_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"token_hash" char(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "setup_tokens_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "setup_tokens_token_hash_check" CHECK ("setup_tokens"."token_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "setup_tokens_expiry_check" CHECK ("setup_tokens"."expires_at" > "setup_tokens"."created_at")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "job_runs_job_slot_idx" ON "job_runs" USING btree ("job","slot");--> statement-breakpoint
CREATE INDEX "job_runs_started_idx" ON "job_runs" USING btree ("started_at");