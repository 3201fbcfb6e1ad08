import { type EventType, sessionEndReasonSchema } from '@pitchline/core/events';
import { ALEXA_LOCALES } from '@pitchline/core/ssml';
import type { Breakdown } from '../../lib/analytics';
import type { FilterField, FunnelFilter, FunnelMode, FunnelUnit } from '../../lib/funnel-url';

/** What the builder calls each spec field; the spec's own names stay in the URL and the API body. */
export const FIELD_LABELS: Record<FilterField, string> = {
  intent: 'Intent',
  request_type: 'Request type',
  locale: 'Locale',
  experiment_key: 'Experiment',
  variant_key: 'Pitch variant',
  product_id: 'Product',
  currency: 'Currency',
  reason: 'Reason',
  has_screen: 'Has a screen',
};

/**
 * The fields each event type records (packages/analytics event-row.ts). The spec accepts every field
 * on every step, but on another type the column holds its empty default, so such a filter matches only
 * empty values (or, negated, everything): the builder lists these apart and warns.
 */
const RECORDED: Record<EventType, readonly FilterField[]> = {
  session_start: ['locale', 'has_screen'],
  turn: ['intent', 'request_type', 'locale', 'has_screen'],
  pitch_exposure: ['experiment_key', 'variant_key', 'product_id'],
  cart_add: ['product_id', 'currency'],
  cart_remove: ['product_id', 'currency'],
  checkout_prompt: ['currency'],
  order_confirmed: ['currency'],
  order_declined: ['currency'],
  payment_succeeded: ['currency'],
  payment_failed: ['currency'],
  payment_action_required: ['currency'],
  payment_mismatch: ['currency', 'reason'],
  refund: ['currency'],
  session_end: ['reason'],
  request_rejected: ['reason'],
  progressive_response: ['reason'],
};

export function recordedFields(type: EventType): readonly FilterField[] {
  return RECORDED[type] ?? [];
}

export const OP_LABELS = { in: 'is', not_in: 'is not' } as const;

export function describeFilter(f: FunnelFilter): string {
  const values = f.values.map((v) => (v === '' ? '(empty)' : v));
  const shown = values.length > 3 ? [...values.slice(0, 3), `${values.length - 3} more`] : values;
  return `${FIELD_LABELS[f.field]} ${OP_LABELS[f.op]} ${shown.join(' or ')}`;
}

export const MODE_LABELS: Record<FunnelMode, string> = {
  ordered: 'In order (ties allowed)',
  strict: 'Strictly in order',
  any_order: 'In any order',
};

export const UNIT_LABELS: Record<FunnelUnit, { option: string; plural: string }> = {
  session: { option: 'Sessions', plural: 'sessions' },
  user: { option: 'Users', plural: 'users' },
};

export const BREAKDOWN_LABELS: Record<Breakdown, string> = {
  none: 'None',
  variant: 'Pitch variant',
  experiment: 'Experiment',
  locale: 'Locale',
  device: 'Device type (screen or voice)',
  product: 'Product',
};

/** Values the app knows without asking the server. Alexa's locales are those core's SSML checker accepts. */
export const STATIC_SUGGESTIONS: Partial<Record<FilterField, readonly string[]>> = {
  locale: ALEXA_LOCALES,
  request_type: [
    'LaunchRequest',
    'IntentRequest',
    'SessionEndedRequest',
    'CanFulfillIntentRequest',
    'Connections.Response',
  ],
  has_screen: ['true', 'false'],
  reason: sessionEndReasonSchema.options,
  currency: ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY', 'INR', 'MXN', 'BRL'],
};

/** Window units, largest first: a window is shown in the largest unit that divides it. */
export const WINDOW_UNITS = [
  { seconds: 86_400, label: 'days' },
  { seconds: 3_600, label: 'hours' },
  { seconds: 60, label: 'minutes' },
  { seconds: 1, label: 'seconds' },
] as const;

export function splitWindow(seconds: number): { amount: number; unitSeconds: number } {
  const unit = WINDOW_UNITS.find((u) => seconds % u.seconds === 0) ?? { seconds: 1 };
  return { amount: seconds / unit.seconds, unitSeconds: unit.seconds };
}

/** The filters with one value added (merged into a same field and operator filter when there is one). */
export function mergeFilter(filters: FunnelFilter[], add: FunnelFilter): FunnelFilter[] {
  const same = filters.findIndex((f) => f.field === add.field && f.op === add.op);
  if (same < 0) return [...filters, add];
  return filters.map((f, i) =>
    i === same ? { ...f, values: [...f.values, ...add.values.filter((v) => !f.values.includes(v))] } : f,
  );
}

const ISSUE_FIELDS: Record<string, string> = {
  from: 'Date range',
  to: 'Date range',
  tz: 'Time zone',
  mode: 'Step order',
  windowSeconds: 'Conversion window',
  unit: 'Count by',
  breakdown: 'Breakdown',
  experimentKey: 'Breakdown experiment',
};

/**
 * Where an API validation issue points, in the builder's words: ['steps', 1, 'filters', 0, 'values']
 * reads "Step 2, filter 1, values". Unknown paths fall back to the raw path, never to nothing.
 */
export function describeIssuePath(path: readonly (string | number)[]): string {
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const p = path[i];
    const next = path[i + 1];
    if (
      (p === 'steps' || p === 'exclusions' || p === 'filters' || p === 'values') &&
      typeof next === 'number'
    ) {
      const noun =
        p === 'steps' ? 'Step' : p === 'exclusions' ? 'Exclusion' : p === 'filters' ? 'filter' : 'value';
      parts.push(`${noun} ${next + 1}`);
      i++;
    } else if (i === 0 && typeof p === 'string' && Object.hasOwn(ISSUE_FIELDS, p)) {
      parts.push(ISSUE_FIELDS[p] as string);
    } else parts.push(String(p));
  }
  return parts.length > 0 ? parts.join(', ') : 'Funnel';
}
