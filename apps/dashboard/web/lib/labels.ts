import { FUNNEL_STEP_NAMES } from '@pitchline/analytics/funnel-spec';
import { END_REASON_LABELS, INTENT_LABELS } from '@pitchline/analytics/metrics';
import type { EventType } from '@pitchline/core/events';

/*
 * Words for the machine names the API sends (event types, intents, request types, exit reasons).
 * The API adds labels beside ids; where a row carries one it wins. Event, intent and exit-reason words
 * are the analytics catalogue's own (the API sends the same), the rest are the SPA's. An unknown name is turned into words rather than shown raw ("SomeNewIntent" → "Some new").
 */

/** Event types as funnel steps read (one list for the API's step names and the SPA's words). */
export const EVENT_LABELS: Readonly<Record<EventType, string>> = FUNNEL_STEP_NAMES;

/** Intents in words: the catalogue's list, which the API also sends as each row's `label`. */
export { INTENT_LABELS };

export const REQUEST_TYPE_LABELS: Record<string, string> = {
  LaunchRequest: 'Opened the skill',
  IntentRequest: 'Said something',
  SessionEndedRequest: 'Session ended',
  'Connections.Response': 'Payment answer',
  'Alexa.Presentation.APL.UserEvent': 'Touched the screen',
  CanFulfillIntentRequest: 'Can-fulfil check',
};

/** How sessions ended, in the catalogue's words; an empty reason is a session with no end recorded. */
export const EXIT_REASON_LABELS: Readonly<Record<string, string>> = {
  ...END_REASON_LABELS,
  unknown: 'Unknown',
  '': 'No end recorded',
};

export const REJECTION_LABELS: Record<string, string> = {
  bad_signature: 'Bad signature',
  body_too_large: 'Request too large',
  cert_expired: 'Certificate expired',
  cert_fetch_failed: 'Certificate could not be fetched',
  cert_invalid: 'Certificate invalid',
  cert_not_yet_valid: 'Certificate not yet valid',
  cert_san_mismatch: 'Certificate for another host',
  cert_untrusted: 'Certificate not trusted',
  future_timestamp: 'Timestamp in the future',
  stale_timestamp: 'Timestamp too old',
  invalid_envelope: 'Malformed request',
  unknown_skill: 'Unknown skill',
};

/** "SomeNewIntent" → "Some new", "cart_full" → "Cart full", "AMAZON.PauseIntent" → "Pause". */
export function humanize(name: string): string {
  const words = name
    .replace(/^AMAZON\./, '')
    .replace(/(Intent|Request)$/, '')
    .replace(/[._-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words ? words[0]?.toUpperCase() + words.slice(1) : 'Unnamed';
}

const pick = (labels: Record<string, string>, name: string, apiLabel?: unknown) =>
  typeof apiLabel === 'string' && apiLabel.trim() !== ''
    ? apiLabel
    : Object.hasOwn(labels, name)
      ? (labels[name] as string)
      : humanize(name);

export const eventLabel = (type: string, apiLabel?: unknown) => pick(EVENT_LABELS, type, apiLabel);
export const intentLabel = (intent: string, apiLabel?: unknown) => pick(INTENT_LABELS, intent, apiLabel);
export const requestTypeLabel = (type: string, apiLabel?: unknown) =>
  pick(REQUEST_TYPE_LABELS, type, apiLabel);
export const exitReasonLabel = (reason: string, apiLabel?: unknown) =>
  pick(EXIT_REASON_LABELS, reason, apiLabel);
export const rejectionLabel = (reason: string, apiLabel?: unknown) =>
  pick(REJECTION_LABELS, reason, apiLabel);

/** A field of a row that may or may not be there yet (the API adds names beside ids). */
function field(row: object, key: string): unknown {
  return (row as Record<string, unknown>)[key];
}
const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/**
 * A product by name. Without a name, a neutral word and the id's last characters: enough to tell two
 * apart without printing a UUID (the full id is behind the details affordance).
 */
export function productLabel(row: {
  productId?: string | null;
  name?: unknown;
  productName?: unknown;
}): string {
  return text(field(row, 'name')) ?? text(field(row, 'productName')) ?? unnamed('Product', row.productId);
}

export function experimentLabel(
  row: object & { experimentKey?: string | null; key?: string | null },
): string {
  return (
    text(field(row, 'experimentName')) ??
    text(field(row, 'name')) ??
    (row.experimentKey ? humanize(row.experimentKey) : undefined) ??
    (row.key ? humanize(row.key) : 'Experiment')
  );
}

/**
 * A variant by name: "Variant b" from a bare key, the API's name when sent. `yirgacheffe-pitch:b` (the
 * breakdown's experiment:variant group) reads "Yirgacheffe pitch: variant b".
 */
export function variantLabel(row: {
  variantKey?: string | null;
  key?: string | null;
  name?: unknown;
  variantName?: unknown;
}): string {
  const name = text(field(row, 'variantName')) ?? text(field(row, 'name'));
  if (name) return name;
  const key = row.variantKey ?? row.key ?? '';
  return variantKeyLabel(key);
}

export function variantKeyLabel(key: string): string {
  // The revenue breakdown's group of sessions without any pitch.
  if (key === '' || key === '(none)') return 'No pitch heard';
  const colon = key.lastIndexOf(':');
  if (colon > 0) return `${humanize(key.slice(0, colon))}: ${variantWord(key.slice(colon + 1))}`;
  return variantWord(key);
}

const variantWord = (key: string) => (key === 'control' ? 'Control' : `Variant ${key}`);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** "Product …3f2a" for an id with no name. */
export function unnamed(word: string, id: string | null | undefined): string {
  if (!id) return `Unknown ${word.toLowerCase()}`;
  const tail = id.replace(/-/g, '').slice(-4);
  return `${word} …${tail}`;
}

/** True when text holds a UUID (ids belong behind the details affordance). */
export const hasUuid = (s: string) => UUID.test(s);

/**
 * Names the API sends beside a list of ids (`variantsHeardNamed: [{ key, name }]`,
 * `productsTouchedNamed: [{ id, name }]`), when it does: the names, else undefined.
 */
export function namedList(row: object, field: string): string[] | undefined {
  const list = (row as Record<string, unknown>)[field];
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const names = list.map((item) =>
    item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string'
      ? ((item as { name: string }).name as string)
      : undefined,
  );
  return names.every((n): n is string => n !== undefined && n !== '') ? names : undefined;
}
