CREATE TABLE "experiment_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"experiment_id" uuid NOT NULL,
	"actor_member_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"action" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "experiment_variants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"experiment_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"template" text NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"is_control" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "experiment_variants_version_unique" UNIQUE("experiment_id","key","version"),
	CONSTRAINT "experiment_variants_key_check" CHECK ("experiment_variants"."key" ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
	CONSTRAINT "experiment_variants_weight_check" CHECK ("experiment_variants"."weight" >= 0),
	CONSTRAINT "experiment_variants_version_check" CHECK ("experiment_variants"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"hypothesis" text DEFAULT '' NOT NULL,
	"scope" text NOT NULL,
	"scope_value" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"primary_metric" text NOT NULL,
	"secondary_metrics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"guardrail_metrics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"conversion_window_hours" integer DEFAULT 24 NOT NULL,
	"salt" text NOT NULL,
	"layer" text DEFAULT 'default' NOT NULL,
	"holdout_percent" integer DEFAULT 0 NOT NULL,
	"mode" text DEFAULT 'fixed' NOT NULL,
	"shipped_variant_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	"concluded_at" timestamp with time zone,
	CONSTRAINT "experiments_merchant_key_unique" UNIQUE("merchant_id","key"),
	CONSTRAINT "experiments_key_check" CHECK ("experiments"."key" ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
	CONSTRAINT "experiments_scope_check" CHECK ("experiments"."scope" in ('product', 'category', 'launch')),
	CONSTRAINT "experiments_status_check" CHECK ("experiments"."status" in ('draft', 'running', 'stopped', 'concluded')),
	CONSTRAINT "experiments_primary_metric_check" CHECK ("experiments"."primary_metric" in ('conversion', 'revenue_per_user', 'add_to_cart')),
	CONSTRAINT "experiments_mode_check" CHECK ("experiments"."mode" in ('fixed', 'bandit')),
	CONSTRAINT "experiments_holdout_check" CHECK ("experiments"."holdout_percent" between 0 and 100),
	CONSTRAINT "experiments_window_check" CHECK ("experiments"."conversion_window_hours" between 1 and 8760),
	CONSTRAINT "experiments_metrics_check" CHECK (jsonb_typeof("experiments"."secondary_metrics") = 'array' and jsonb_typeof("experiments"."guardrail_metrics") = 'array')
);
--> statement-breakpoint
CREATE TABLE "linked_customers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"access_token_hash" char(64) NOT NULL,
	"stripe_customer_id" text NOT NULL,
	"default_payment_method_id" text,
	"email" text,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "linked_customers_access_token_hash_unique" UNIQUE("access_token_hash"),
	CONSTRAINT "linked_customers_token_hash_check" CHECK ("linked_customers"."access_token_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text DEFAULT 'analyst' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_email_check" CHECK ("members"."email" = lower("members"."email") and "members"."email" like '%_@_%'),
	CONSTRAINT "members_role_check" CHECK ("members"."role" in ('owner', 'analyst'))
);
--> statement-breakpoint
CREATE TABLE "merchants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"currency" char(3) DEFAULT 'USD' NOT NULL,
	"payment_mode" text DEFAULT 'simulated' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchants_currency_check" CHECK ("merchants"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "merchants_payment_mode_check" CHECK ("merchants"."payment_mode" in ('simulated', 'stripe')),
	CONSTRAINT "merchants_name_check" CHECK (length("merchants"."name") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "order_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"name" text NOT NULL,
	"unit_amount" bigint NOT NULL,
	"quantity" integer NOT NULL,
	"currency" char(3) NOT NULL,
	CONSTRAINT "order_items_unit_amount_check" CHECK ("order_items"."unit_amount" >= 0),
	CONSTRAINT "order_items_quantity_check" CHECK ("order_items"."quantity" between 1 and 1000),
	CONSTRAINT "order_items_currency_check" CHECK ("order_items"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"skill_id" text NOT NULL,
	"linked_customer_id" uuid,
	"user_id" text NOT NULL,
	"session_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"amount_total" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"payment_intent_id" text,
	"checkout_session_id" text,
	"checkout_url" text,
	"refunded_amount" bigint DEFAULT 0 NOT NULL,
	"attribution" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	CONSTRAINT "orders_status_check" CHECK ("orders"."status" in ('pending', 'awaiting_action', 'failed', 'canceled', 'paid', 'partially_refunded', 'refunded')),
	CONSTRAINT "orders_amount_check" CHECK ("orders"."amount_total" >= 0),
	CONSTRAINT "orders_refund_check" CHECK ("orders"."refunded_amount" between 0 and "orders"."amount_total"),
	CONSTRAINT "orders_currency_check" CHECK ("orders"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "orders_attribution_check" CHECK (jsonb_typeof("orders"."attribution") = 'array')
);
--> statement-breakpoint
CREATE TABLE "processed_webhook_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" text NOT NULL,
	"price_amount" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"featured" boolean DEFAULT false NOT NULL,
	"default_pitch" text NOT NULL,
	"synonyms" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_merchant_name_unique" UNIQUE("merchant_id","name"),
	CONSTRAINT "products_price_check" CHECK ("products"."price_amount" >= 0),
	CONSTRAINT "products_currency_check" CHECK ("products"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "products_name_check" CHECK (length("products"."name") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "skills" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "experiment_history" ADD CONSTRAINT "experiment_history_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_history" ADD CONSTRAINT "experiment_history_actor_member_id_members_id_fk" FOREIGN KEY ("actor_member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_variants" ADD CONSTRAINT "experiment_variants_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_shipped_variant_id_experiment_variants_id_fk" FOREIGN KEY ("shipped_variant_id") REFERENCES "public"."experiment_variants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "linked_customers" ADD CONSTRAINT "linked_customers_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_skill_id_skills_id_fk" FOREIGN KEY ("skill_id") REFERENCES "public"."skills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_linked_customer_id_linked_customers_id_fk" FOREIGN KEY ("linked_customer_id") REFERENCES "public"."linked_customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skills" ADD CONSTRAINT "skills_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "experiment_history_experiment_at_idx" ON "experiment_history" USING btree ("experiment_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "experiment_variants_live_key_idx" ON "experiment_variants" USING btree ("experiment_id","key") WHERE "experiment_variants"."retired_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "experiment_variants_live_control_idx" ON "experiment_variants" USING btree ("experiment_id") WHERE "experiment_variants"."is_control" and "experiment_variants"."retired_at" is null;--> statement-breakpoint
CREATE INDEX "experiments_merchant_status_idx" ON "experiments" USING btree ("merchant_id","status");--> statement-breakpoint
CREATE INDEX "linked_customers_merchant_idx" ON "linked_customers" USING btree ("merchant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "members_email_lower_idx" ON "members" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "members_merchant_idx" ON "members" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "order_items_order_idx" ON "order_items" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_items_product_idx" ON "order_items" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "orders_merchant_created_idx" ON "orders" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_payment_intent_idx" ON "orders" USING btree ("payment_intent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_checkout_session_idx" ON "orders" USING btree ("checkout_session_id");--> statement-breakpoint
CREATE INDEX "products_merchant_active_idx" ON "products" USING btree ("merchant_id","active");--> statement-breakpoint
CREATE INDEX "skills_merchant_idx" ON "skills" USING btree ("merchant_id");