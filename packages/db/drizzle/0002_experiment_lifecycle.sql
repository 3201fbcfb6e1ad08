ALTER TABLE "experiments" ADD COLUMN "bandit_floor" double precision DEFAULT 0.05 NOT NULL;--> statement-breakpoint
ALTER TABLE "experiment_history" ADD CONSTRAINT "experiment_history_action_check" CHECK ("experiment_history"."action" in ('create', 'update', 'variant_version', 'start', 'stop', 'conclude'));--> statement-breakpoint
ALTER TABLE "experiment_history" ADD CONSTRAINT "experiment_history_details_check" CHECK (jsonb_typeof("experiment_history"."details") = 'object');--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_bandit_floor_check" CHECK ("experiments"."bandit_floor" > 0 and "experiments"."bandit_floor" <= 0.5);--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_lifecycle_check" CHECK (("experiments"."status" = 'draft' or "experiments"."started_at" is not null)
        and ("experiments"."status" not in ('stopped', 'concluded') or "experiments"."stopped_at" is not null)
        and ("experiments"."status" <> 'concluded' or ("experiments"."concluded_at" is not null and "experiments"."shipped_variant_id" is not null)));