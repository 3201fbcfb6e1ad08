import type { EventType } from '@pitchline/core';
import { z } from 'zod';
import type { ClickHouseHandle } from '../../clickhouse';
import { selectRows } from '../../queries/run';
import { qualified, TABLES } from '../../tables';
import { type EventScope, scopeFilter } from './scope';

/** The event types that name an order (and carry its money). */
export const ORDER_EVENT_TYPES: readonly EventType[] = [
  'order_confirmed',
  'order_declined',
  'payment_succeeded',
  'payment_failed',
  'payment_action_required',
  'refund',
];

const row = z.object({
  orderId: z.string(),
  type: z.string(),
  amount: z.coerce.number(),
  currency: z.string(),
  tsMs: z.coerce.number(),
});

export type OrderEvent = z.infer<typeof row>;

/**
 * Every event of the scope's types (by default the order events) with its order, money and time, one row
 * per stored event (a duplicate is two rows), in time order: what reconciles with the orders table.
 */
export async function orderEvents(ch: ClickHouseHandle, scope?: EventScope): Promise<OrderEvent[]> {
  const { where, params } = scopeFilter({ ...scope, types: scope?.types ?? ORDER_EVENT_TYPES });
  return selectRows(
    ch,
    `SELECT toString(order_id) AS orderId, type, amount, currency, toUnixTimestamp64Milli(ts) AS tsMs
     FROM ${qualified(ch.database, TABLES.events)} ${where}
     ORDER BY ts, orderId, type`,
    params,
    row,
  );
}
