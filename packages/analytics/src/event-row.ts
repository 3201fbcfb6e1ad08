import type { PitchlineEvent } from '@pitchline/core';

/**
 * The flat ClickHouse row of one event: the base columns plus every event type's fields. Only the fields
 * the event's type has are set; ClickHouse fills the others with the column defaults ('' / 0 / [] /
 * nil UUID), which keeps each write-ahead-log line, and so each INSERT, as small as the event itself.
 * `ts` stays integer milliseconds: JSONEachRow reads an integer into DateTime64(3) as milliseconds.
 */
export interface EventRow {
  event_id: string;
  ts: number;
  merchant_id: string;
  skill_id: string;
  user_id: string;
  session_id: string;
  type: PitchlineEvent['type'];
  locale?: string;
  has_screen?: boolean;
  new_user?: boolean;
  request_id?: string;
  request_type?: string;
  intent?: string;
  'slots.name'?: string[];
  'slots.value'?: string[];
  'slots.resolved_id'?: string[];
  'slots.resolved_value'?: string[];
  'slots.resolution'?: string[];
  dialog_state?: string;
  response_ssml?: string;
  reprompt_ssml?: string;
  should_end_session?: boolean;
  latency_ms?: number;
  error?: string;
  experiment_id?: string;
  experiment_key?: string;
  variant_key?: string;
  assignment_probability?: number;
  product_id?: string;
  quantity?: number;
  unit_amount?: number;
  amount?: number;
  currency?: string;
  item_count?: number;
  order_id?: string;
  variants?: string[];
  payment_intent_id?: string;
  failure_code?: string;
  refund_id?: string;
  reason?: string;
  last_prompt?: string;
  detail?: string;
}

/** Every column of the events table, in table order (a test checks this against the migrated table). */
export const EVENT_COLUMNS = [
  'event_id',
  'ts',
  'merchant_id',
  'skill_id',
  'user_id',
  'session_id',
  'type',
  'locale',
  'has_screen',
  'new_user',
  'request_id',
  'request_type',
  'intent',
  'slots.name',
  'slots.value',
  'slots.resolved_id',
  'slots.resolved_value',
  'slots.resolution',
  'dialog_state',
  'response_ssml',
  'reprompt_ssml',
  'should_end_session',
  'latency_ms',
  'error',
  'experiment_id',
  'experiment_key',
  'variant_key',
  'assignment_probability',
  'product_id',
  'quantity',
  'unit_amount',
  'amount',
  'currency',
  'item_count',
  'order_id',
  'variants',
  'payment_intent_id',
  'failure_code',
  'refund_id',
  'reason',
  'last_prompt',
  'detail',
] as const satisfies readonly (keyof EventRow)[];

/** Maps a validated event to its ClickHouse row. Optional fields left out become the column defaults. */
export function toEventRow(event: PitchlineEvent): EventRow {
  const row: EventRow = {
    event_id: event.event_id,
    ts: event.ts,
    merchant_id: event.merchant_id,
    skill_id: event.skill_id,
    user_id: event.user_id,
    session_id: event.session_id,
    type: event.type,
  };
  switch (event.type) {
    case 'session_start':
      row.locale = event.locale;
      row.has_screen = event.has_screen;
      row.new_user = event.new_user;
      break;
    case 'turn': {
      row.locale = event.locale;
      row.has_screen = event.has_screen;
      row.request_id = event.request_id;
      row.request_type = event.request_type;
      if (event.intent !== undefined) row.intent = event.intent;
      if (event.slots.length > 0) {
        row['slots.name'] = event.slots.map((s) => s.name);
        row['slots.value'] = event.slots.map((s) => s.value);
        row['slots.resolved_id'] = event.slots.map((s) => s.resolved_id ?? '');
        row['slots.resolved_value'] = event.slots.map((s) => s.resolved_value ?? '');
        row['slots.resolution'] = event.slots.map((s) => s.resolution);
      }
      if (event.dialog_state !== undefined) row.dialog_state = event.dialog_state;
      row.response_ssml = event.response_ssml;
      if (event.reprompt_ssml !== undefined) row.reprompt_ssml = event.reprompt_ssml;
      row.should_end_session = event.should_end_session;
      row.latency_ms = event.latency_ms;
      if (event.error !== undefined) row.error = event.error;
      break;
    }
    case 'pitch_exposure':
      row.experiment_id = event.experiment_id;
      row.experiment_key = event.experiment_key;
      row.variant_key = event.variant_key;
      row.assignment_probability = event.assignment_probability;
      if (event.product_id !== undefined) row.product_id = event.product_id;
      break;
    case 'cart_add':
    case 'cart_remove':
      row.product_id = event.product_id;
      row.quantity = event.quantity;
      row.unit_amount = event.unit_amount;
      row.currency = event.currency;
      break;
    case 'checkout_prompt':
      row.amount = event.amount;
      row.currency = event.currency;
      row.item_count = event.item_count;
      break;
    case 'order_confirmed':
    case 'order_declined':
    case 'payment_succeeded':
    case 'payment_failed':
    case 'payment_action_required':
    case 'payment_mismatch':
    case 'refund':
      row.order_id = event.order_id;
      row.amount = event.amount;
      row.currency = event.currency;
      row.variants = event.variants;
      if ('payment_intent_id' in event && event.payment_intent_id !== undefined) {
        row.payment_intent_id = event.payment_intent_id;
      }
      if (event.type === 'payment_failed' && event.failure_code !== undefined) {
        row.failure_code = event.failure_code;
      }
      if (event.type === 'refund' && event.refund_id !== undefined) row.refund_id = event.refund_id;
      // No column of its own (a rare event; no migration of the wide table for it): which part differed
      // is the reason, what the order expected the detail.
      if (event.type === 'payment_mismatch') {
        row.reason = event.currency === event.expected_currency ? 'amount' : 'currency';
        row.detail = `expected ${event.expected_amount} ${event.expected_currency}`;
      }
      break;
    case 'session_end':
      row.reason = event.reason;
      if (event.last_prompt !== undefined) row.last_prompt = event.last_prompt;
      break;
    case 'request_rejected':
      row.reason = event.reason;
      if (event.detail !== undefined) row.detail = event.detail;
      // The requests this row aggregates, in the count column the type shares with checkout_prompt
      // (no column of its own: 0, the default of rows written before aggregation, means one).
      if (event.count !== undefined) row.item_count = event.count;
      break;
    case 'progressive_response':
      row.request_id = event.request_id;
      row.latency_ms = event.latency_ms;
      row.reason = event.reason;
      if (event.detail !== undefined) row.detail = event.detail;
      break;
    default: {
      // A new event type must be mapped here, or it would silently lose its fields.
      const unmapped: never = event;
      throw new Error(`no ClickHouse mapping for event type ${(unmapped as { type: string }).type}`);
    }
  }
  return row;
}
