CREATE TABLE "job_completions" (
	"job_id" text PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"completed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_failures" (
	"job_id" text PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"last_error" text NOT NULL,
	"first_failed_at" timestamp with time zone NOT NULL,
	"last_failed_at" timestamp with time zone NOT NULL,
	"retried_at" timestamp with time zone,
	"retried_by" text,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "job_failures_status_check" CHECK ("job_failures"."status" in ('retrying', 'dead', 'retried', 'resolved')),
	CONSTRAINT "job_failures_attempts_check" CHECK ("job_failures"."attempts" >= 1)
);
--> statement-breakpoint
CREATE INDEX "job_completions_completed_at_idx" ON "job_completions" USING btree ("completed_at");--> statement-breakpoint
CREATE INDEX "job_failures_recent_idx" ON "job_failures" USING btree ("last_failed_at","job_id");--> statement-breakpoint
CREATE INDEX "job_failures_status_idx" ON "job_failures" USING btree ("status","last_failed_at","job_id");