ALTER TABLE "experiments" ALTER COLUMN "conversion_window_hours" SET DEFAULT 72;--> statement-breakpoint
ALTER TABLE "experiment_history" ADD COLUMN "actor_email" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "compare_at_amount" bigint;--> statement-breakpoint
-- Rows written before this column: their actor's e-mail as it is now, the best that is still known.
UPDATE "experiment_history" SET "actor_email" = "members"."email" FROM "members" WHERE "members"."id" = "experiment_history"."actor_member_id";--> statement-breakpoint
ALTER TABLE "experiment_history" ADD CONSTRAINT "experiment_history_actor_email_check" CHECK ("experiment_history"."actor_member_id" is null or "experiment_history"."actor_email" is not null);--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_compare_at_check" CHECK ("products"."compare_at_amount" is null or "products"."compare_at_amount" > "products"."price_amount");