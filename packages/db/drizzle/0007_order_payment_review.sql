ALTER TABLE "orders" DROP CONSTRAINT "orders_status_check";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "received_amount" bigint;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "received_currency" char(3);--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_received_check" CHECK (("orders"."received_amount" is null) = ("orders"."received_currency" is null) and ("orders"."received_amount" is null or "orders"."received_amount" >= 0));--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_status_check" CHECK ("orders"."status" in ('pending', 'awaiting_action', 'failed', 'canceled', 'payment_review', 'paid', 'partially_refunded', 'refunded'));