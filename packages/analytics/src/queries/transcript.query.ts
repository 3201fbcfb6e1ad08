import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { intentLabel } from '../metrics/catalogue';
import { qualified, TABLES } from '../tables';
import { merchantIdSchema } from './params';
import { selectRows } from './run';

export interface TranscriptSlot {
  name: string;
  value: string;
  resolution: string;
  resolvedValue: string;
}

/** Something that happened besides the dialog itself: a pitch heard, a cart change, an order, a payment. */
export interface TranscriptEvent {
  ts: number;
  type: string;
  experimentKey?: string;
  variantKey?: string;
  productId?: string;
  quantity?: number;
  unitAmount?: number;
  amount?: number;
  currency?: string;
  orderId?: string;
  failureCode?: string;
  /** Names beside the ids, filled in by the API from Postgres: the product's, the experiment's and the variant's. */
  productName?: string;
  experimentName?: string;
  variantName?: string;
}

export interface TranscriptTurn {
  ts: number;
  requestType: string;
  intent: string;
  /** The intent in words ("Add to cart"); '' when the request had none. */
  intentLabel: string;
  slots: TranscriptSlot[];
  /** What Alexa said (SSML) and the reprompt. */
  speech: string;
  reprompt: string;
  latencyMs: number;
  error: string;
  /** What the skill recorded while handling this request, in order (pitches heard, cart, checkout, order). */
  events: TranscriptEvent[];
}

export interface Transcript {
  sessionId: string;
  userId: string;
  locale: string;
  hasScreen: boolean;
  startedAt: number | null;
  endedAt: number | null;
  endReason: string;
  turns: TranscriptTurn[];
  /** Pitch variants heard, "expKey:variantKey", in the order first heard. */
  variantsHeard: string[];
  /** The same variants with their names, filled in by the API from Postgres. */
  variantsHeardNamed?: { key: string; name: string }[];
  /** What happened after the dialog: payments and refunds confirmed later by webhooks. */
  afterDialog: TranscriptEvent[];
}

export const paramsSchema = z.object({
  merchantId: merchantIdSchema,
  sessionId: z.string().min(1).max(200),
});

const rowSchema = z.object({
  ts: z.coerce.number(),
  type: z.string(),
  user_id: z.string(),
  locale: z.string(),
  has_screen: z.coerce.boolean(),
  request_type: z.string(),
  intent: z.string(),
  slot_names: z.array(z.string()),
  slot_values: z.array(z.string()),
  slot_resolutions: z.array(z.string()),
  slot_resolved: z.array(z.string()),
  response_ssml: z.string(),
  reprompt_ssml: z.string(),
  latency_ms: z.coerce.number(),
  error: z.string(),
  experiment_key: z.string(),
  variant_key: z.string(),
  product_id: z.string(),
  quantity: z.coerce.number(),
  unit_amount: z.coerce.number(),
  amount: z.coerce.number(),
  currency: z.string(),
  order_id: z.string(),
  failure_code: z.string(),
  reason: z.string(),
});
type Row = z.infer<typeof rowSchema>;

const NIL = '00000000-0000-0000-0000-000000000000';
/** At one instant: the session opens first and closes last; a turn comes after what its handler recorded. */
const RANK: Record<string, number> = { session_start: 0, turn: 2, session_end: 3 };

function toEvent(r: Row): TranscriptEvent {
  const e: TranscriptEvent = { ts: r.ts, type: r.type };
  if (r.experiment_key) e.experimentKey = r.experiment_key;
  if (r.variant_key) e.variantKey = r.variant_key;
  if (r.product_id !== NIL) e.productId = r.product_id;
  if (r.quantity) e.quantity = r.quantity;
  if (r.unit_amount) e.unitAmount = r.unit_amount;
  if (r.type !== 'cart_add' && r.type !== 'cart_remove' && r.currency) e.amount = r.amount;
  if (r.currency) e.currency = r.currency;
  if (r.order_id !== NIL) e.orderId = r.order_id;
  if (r.failure_code) e.failureCode = r.failure_code;
  return e;
}

/** One session's dialog in order; undefined when the caller's merchant has no such session. */
export async function queryTranscript(
  ch: ClickHouseHandle,
  input: z.input<typeof paramsSchema>,
): Promise<Transcript | undefined> {
  const p = paramsSchema.parse(input);
  const sql = `
SELECT toUnixTimestamp64Milli(ts) AS ts, type, user_id, locale, has_screen, request_type, intent,
  slots.name AS slot_names, slots.value AS slot_values, slots.resolution AS slot_resolutions,
  slots.resolved_value AS slot_resolved, response_ssml, reprompt_ssml, toFloat64(latency_ms) AS latency_ms, error,
  experiment_key, variant_key, toString(product_id) AS product_id, quantity, unit_amount, amount, currency,
  toString(order_id) AS order_id, failure_code, reason
FROM ${qualified(ch.database, TABLES.events)}
WHERE merchant_id = {merchantId:UUID} AND session_id = {sessionId:String}
ORDER BY ts, event_id
LIMIT 5000`;
  const rows = await selectRows(ch, sql, p, rowSchema);
  if (rows.length === 0) return undefined;
  rows.sort((a, b) => a.ts - b.ts || (RANK[a.type] ?? 1) - (RANK[b.type] ?? 1));

  const transcript: Transcript = {
    sessionId: p.sessionId,
    userId: rows[0]?.user_id ?? '',
    locale: '',
    hasScreen: false,
    startedAt: null,
    endedAt: null,
    endReason: '',
    turns: [],
    variantsHeard: [],
    afterDialog: [],
  };
  let pending: TranscriptEvent[] = [];
  for (const r of rows) {
    if (r.type === 'session_start') {
      transcript.startedAt = r.ts;
      transcript.locale = r.locale;
      transcript.hasScreen = r.has_screen;
    } else if (r.type === 'session_end') {
      transcript.endedAt = r.ts;
      transcript.endReason = r.reason;
    } else if (r.type === 'turn') {
      transcript.turns.push({
        ts: r.ts,
        requestType: r.request_type,
        intent: r.intent,
        intentLabel: r.intent ? intentLabel(r.intent) : '',
        slots: r.slot_names.map((name, i) => ({
          name,
          value: r.slot_values[i] ?? '',
          resolution: r.slot_resolutions[i] ?? '',
          resolvedValue: r.slot_resolved[i] ?? '',
        })),
        speech: r.response_ssml,
        reprompt: r.reprompt_ssml,
        latencyMs: r.latency_ms,
        error: r.error,
        events: pending,
      });
      pending = [];
    } else {
      if (r.type === 'pitch_exposure') {
        const pair = `${r.experiment_key}:${r.variant_key}`;
        if (!transcript.variantsHeard.includes(pair)) transcript.variantsHeard.push(pair);
      }
      pending.push(toEvent(r));
    }
  }
  transcript.afterDialog = pending;
  return transcript;
}
