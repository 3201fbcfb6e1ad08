-- No backfill, on purpose: a running experiment with a null allocation, and a layer without a row, are
-- split exactly as before (core's newAllocation / statelessLayerAllocation reproduce the contiguous
-- layouts), so deploying moves no user; the first weight change, start or stop stores what it moved from.
CREATE TABLE "experiment_layers" (
	"merchant_id" uuid NOT NULL,
	"layer" text NOT NULL,
	"allocation" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experiment_layers_merchant_id_layer_pk" PRIMARY KEY("merchant_id","layer"),
	CONSTRAINT "experiment_layers_allocation_check" CHECK (jsonb_typeof("experiment_layers"."allocation") = 'object' and jsonb_typeof("experiment_layers"."allocation"->'runs') = 'array')
);
--> statement-breakpoint
ALTER TABLE "experiments" ADD COLUMN "allocation" jsonb;--> statement-breakpoint
ALTER TABLE "experiment_layers" ADD CONSTRAINT "experiment_layers_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_allocation_check" CHECK ("experiments"."allocation" is null or (jsonb_typeof("experiments"."allocation") = 'object' and jsonb_typeof("experiments"."allocation"->'runs') = 'array'));