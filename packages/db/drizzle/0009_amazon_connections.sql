CREATE TABLE "amazon_connections" (
	"merchant_id" uuid PRIMARY KEY NOT NULL,
	"refresh_token_sealed" text NOT NULL,
	"access_token_sealed" text,
	"access_token_expires_at" timestamp with time zone,
	"connected_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "amazon_connections_refresh_check" CHECK (length("amazon_connections"."refresh_token_sealed") > 0)
);
--> statement-breakpoint
CREATE TABLE "amazon_oauth_states" (
	"id" uuid PRIMARY KEY NOT NULL,
	"state_hash" char(64) NOT NULL,
	"session_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "amazon_oauth_states_state_hash_unique" UNIQUE("state_hash"),
	CONSTRAINT "amazon_oauth_states_state_hash_check" CHECK ("amazon_oauth_states"."state_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "amazon_oauth_states_expiry_check" CHECK ("amazon_oauth_states"."expires_at" > "amazon_oauth_states"."created_at")
);
--> statement-breakpoint
ALTER TABLE "amazon_connections" ADD CONSTRAINT "amazon_connections_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amazon_connections" ADD CONSTRAINT "amazon_connections_connected_by_members_id_fk" FOREIGN KEY ("connected_by") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amazon_oauth_states" ADD CONSTRAINT "amazon_oauth_states_session_id_member_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."member_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "amazon_oauth_states_expires_idx" ON "amazon_oauth_states" USING btree ("expires_at");