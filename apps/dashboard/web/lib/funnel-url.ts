import {
  BREAKDOWNS,
  type Breakdown,
  DEFAULT_FUNNEL_STEP_TYPES,
  FILTER_FIELD_NAMES,
  type FilterField,
  FUNNEL_DEFAULTS,
  FUNNEL_LIMITS,
  FUNNEL_MODES,
  FUNNEL_UNITS,
  type FunnelInput,
  type FunnelMode,
  type FunnelUnit,
  FILTER_OPS as SPEC_FILTER_OPS,
} from '@pitchline/analytics/funnel-spec';
import { EVENT_TYPES, type EventType } from '@pitchline/core/events';
import type { FunnelRequest, RangeQuery } from './analytics';

/*
 * The funnel builder's state as a query string, so a funnel can be shared, bookmarked and walked back
 * with the browser's back button. Pure: no DOM, no React, so it is unit-tested on its own.
 *
 * Format (every part readable in the address bar):
 *   ?step=session_start&step=pitch_exposure|variant_key=b,c&step=cart_add|product_id!=<uuid>
 *   &exclude=session_end|reason=error&mode=ordered&window=86400&unit=session&by=variant&exp=<key>
 * A step is its event type, then `|field=v1,v2` (is one of) or `|field!=v1,v2` (is none of) filters.
 * Inside a value, `%`, `|` and `,` are percent-escaped, so any text survives the round trip.
 *
 * Parsing is all or nothing: a link with any part that cannot be read opens the default funnel and
 * says why, rather than a silently different funnel (dropping one bad filter would widen the funnel
 * while the page still looks like the shared one). Unknown parameters (utm_*, …) are ignored.
 */

/** The lists and bounds are the API's own funnel spec (browser-safe), not restated here. */
export const FILTER_FIELDS = FILTER_FIELD_NAMES;
export type { FilterField, FunnelMode, FunnelUnit };
export const FILTER_OPS = SPEC_FILTER_OPS;
export type FilterOp = (typeof FILTER_OPS)[number];
export const MODES = FUNNEL_MODES;
export const UNITS = FUNNEL_UNITS;
export const FUNNEL_BREAKDOWNS = BREAKDOWNS;

export const LIMITS = {
  ...FUNNEL_LIMITS,
  /**
   * Of the whole query string. The page is reloaded from the server with it, and Node answers 431
   * above 16 KB of headers; 8,000 also stays clear of the lowest limits proxies commonly apply.
   */
  maxSearchLength: 8_000,
} as const;

export type FunnelFilter = { field: FilterField; op: FilterOp; values: string[] };
export type FunnelStepState = { type: EventType; filters: FunnelFilter[] };
export type FunnelState = {
  steps: FunnelStepState[];
  exclusions: FunnelStepState[];
  mode: FunnelMode;
  windowSeconds: number;
  unit: FunnelUnit;
  breakdown: Breakdown;
  /** With breakdown 'variant' only: the experiment whose variants split the funnel (none: every one). */
  experimentKey?: string;
};

/** The voice sales funnel the page opens with (the spec's default steps and defaults). */
export const DEFAULT_STEP_TYPES: readonly EventType[] = DEFAULT_FUNNEL_STEP_TYPES;

export function defaultFunnel(): FunnelState {
  return {
    steps: DEFAULT_STEP_TYPES.map((type) => ({ type, filters: [] })),
    exclusions: [],
    mode: FUNNEL_DEFAULTS.mode,
    windowSeconds: FUNNEL_DEFAULTS.windowSeconds,
    unit: FUNNEL_DEFAULTS.unit,
    breakdown: FUNNEL_DEFAULTS.breakdown,
  };
}

export type ParsedFunnel = {
  state: FunnelState;
  /** Why the link was not used (empty when it was, or when there was nothing to read). */
  problems: string[];
};

const KNOWN = new Set(['step', 'exclude', 'mode', 'window', 'unit', 'by', 'exp']);
const isOneOf = <T extends string>(list: readonly T[], v: string): v is T =>
  (list as readonly string[]).includes(v);

function escapeValue(v: string): string {
  return v.replace(/[%|,]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function unescapeValue(v: string): string | null {
  try {
    return decodeURIComponent(v);
  } catch {
    return null;
  }
}

function serializeStep(step: FunnelStepState): string {
  return [
    step.type,
    ...step.filters.map(
      (f) => `${f.field}${f.op === 'in' ? '=' : '!='}${f.values.map(escapeValue).join(',')}`,
    ),
  ].join('|');
}

function parseStep(raw: string, what: string, problems: string[]): FunnelStepState | null {
  const [type = '', ...parts] = raw.split('|');
  if (!isOneOf(EVENT_TYPES, type)) {
    problems.push(`${what}: "${clip(type)}" is not an event type`);
    return null;
  }
  if (parts.length > LIMITS.maxFiltersPerStep) {
    problems.push(`${what}: more than ${LIMITS.maxFiltersPerStep} filters`);
    return null;
  }
  const filters: FunnelFilter[] = [];
  for (const part of parts) {
    const m = /^([a-z_]+)(!=|=)(.*)$/s.exec(part);
    const field = m?.[1] ?? '';
    if (!m || !isOneOf(FILTER_FIELDS, field)) {
      problems.push(`${what}: cannot read the filter "${clip(part)}"`);
      return null;
    }
    const rawValues = (m[3] ?? '').split(',');
    if (rawValues.length > LIMITS.maxValuesPerFilter) {
      problems.push(`${what}: a filter has more than ${LIMITS.maxValuesPerFilter} values`);
      return null;
    }
    const values: string[] = [];
    for (const rv of rawValues) {
      const v = unescapeValue(rv);
      if (v === null || v.length > LIMITS.maxValueLength) {
        problems.push(
          `${what}: a ${field} value is malformed or longer than ${LIMITS.maxValueLength} characters`,
        );
        return null;
      }
      values.push(v);
    }
    filters.push({ field, op: m[2] === '=' ? 'in' : 'not_in', values });
  }
  return { type, filters };
}

/** Shown in problems: user text, cut short (React escapes it; this only keeps the notice readable). */
function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** The builder state a query string describes, or the default funnel and the reasons it could not be read. */
export function parseFunnelSearch(search: string): ParsedFunnel {
  const fallback = (problems: string[]): ParsedFunnel => ({ state: defaultFunnel(), problems });
  if (typeof search !== 'string') return fallback([]);
  if (search.length > LIMITS.maxSearchLength) {
    return fallback([`the link is longer than ${LIMITS.maxSearchLength} characters`]);
  }
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(search);
  } catch {
    return fallback(['the link cannot be read']);
  }
  if (![...params.keys()].some((k) => KNOWN.has(k))) return fallback([]);

  const problems: string[] = [];
  const state = defaultFunnel();
  const single = (name: string): string | undefined => {
    const all = params.getAll(name);
    if (all.length > 1) problems.push(`"${name}" is given ${all.length} times`);
    return all[0];
  };

  const rawSteps = params.getAll('step');
  if (rawSteps.length > 0) {
    if (rawSteps.length < LIMITS.minSteps || rawSteps.length > LIMITS.maxSteps) {
      problems.push(
        `a funnel has ${LIMITS.minSteps} to ${LIMITS.maxSteps} steps, the link has ${rawSteps.length}`,
      );
    } else {
      const steps = rawSteps.map((s, i) => parseStep(s, `step ${i + 1}`, problems));
      if (steps.every((s) => s !== null)) state.steps = steps;
    }
  }
  const rawExclusions = params.getAll('exclude');
  if (rawExclusions.length > LIMITS.maxExclusions) {
    problems.push(`at most ${LIMITS.maxExclusions} exclusions, the link has ${rawExclusions.length}`);
  } else {
    const exclusions = rawExclusions.map((s, i) => parseStep(s, `exclusion ${i + 1}`, problems));
    if (exclusions.every((s) => s !== null)) state.exclusions = exclusions;
  }

  const mode = single('mode');
  if (mode !== undefined) {
    if (isOneOf(MODES, mode)) state.mode = mode;
    else problems.push(`unknown mode "${clip(mode)}"`);
  }
  const windowParam = single('window');
  if (windowParam !== undefined) {
    const n = /^\d{1,8}$/.test(windowParam) ? Number(windowParam) : Number.NaN;
    if (n >= 1 && n <= LIMITS.maxWindowSeconds) state.windowSeconds = n;
    else
      problems.push(
        `the window is 1 to ${LIMITS.maxWindowSeconds} whole seconds, not "${clip(windowParam)}"`,
      );
  }
  const unit = single('unit');
  if (unit !== undefined) {
    if (isOneOf(UNITS, unit)) state.unit = unit;
    else problems.push(`unknown unit "${clip(unit)}"`);
  }
  const by = single('by');
  if (by !== undefined) {
    if (isOneOf(FUNNEL_BREAKDOWNS, by)) state.breakdown = by;
    else problems.push(`unknown breakdown "${clip(by)}"`);
  }
  const exp = single('exp');
  if (exp !== undefined) {
    if (exp.length < 1 || exp.length > LIMITS.maxExperimentKeyLength) {
      problems.push(`an experiment key is 1 to ${LIMITS.maxExperimentKeyLength} characters`);
    } else if (state.breakdown === 'variant') state.experimentKey = exp;
    // Without the variant breakdown the key means nothing to the spec: dropped, not an error.
  }

  return problems.length > 0 ? fallback(problems) : { state, problems };
}

/**
 * Encodes a query value but leaves the format's own separators readable: `|`, `,`, `=` and `:` are
 * legal in a query string, and a value's own `|`/`,` were already escaped to %7C/%2C (now %257C/%252C).
 */
function encodeQueryValue(v: string): string {
  // encodeURIComponent throws on a lone surrogate (pasted broken text): it becomes U+FFFD instead.
  const wellFormed = v.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
  return encodeURIComponent(wellFormed).replace(/%(7C|2C|3D|3A)/gi, (m) => decodeURIComponent(m));
}

/** The query string (with its `?`) of a builder state. Everything is written out, so a bookmark keeps its meaning. */
export function serializeFunnel(state: FunnelState): string {
  const pairs: [string, string][] = [
    ...state.steps.map((s): [string, string] => ['step', serializeStep(s)]),
    ...state.exclusions.map((s): [string, string] => ['exclude', serializeStep(s)]),
    ['mode', state.mode],
    ['window', String(state.windowSeconds)],
    ['unit', state.unit],
    ['by', state.breakdown],
  ];
  if (state.breakdown === 'variant' && state.experimentKey) pairs.push(['exp', state.experimentKey]);
  return `?${pairs.map(([k, v]) => `${k}=${encodeQueryValue(v)}`).join('&')}`;
}

/** Whether a state's query string stays within the length a link may have. */
export function fitsInUrl(state: FunnelState): boolean {
  return serializeFunnel(state).length <= LIMITS.maxSearchLength;
}

export type FunnelApiRequest = FunnelRequest & {
  steps: FunnelStepState[];
  exclusions: FunnelStepState[];
  mode: FunnelMode;
  unit: FunnelUnit;
  experimentKey?: string;
};

/** The POST /api/analytics/funnel body of a state: its fields are the spec's, one to one. */
export function funnelRequest(state: FunnelState, range: RangeQuery): FunnelApiRequest {
  return {
    from: range.from,
    to: range.to,
    tz: range.tz,
    steps: state.steps,
    exclusions: state.exclusions,
    mode: state.mode,
    windowSeconds: state.windowSeconds,
    unit: state.unit,
    breakdown: state.breakdown,
    ...(state.breakdown === 'variant' && state.experimentKey ? { experimentKey: state.experimentKey } : {}),
  };
}

// The request must be a body the API's schema accepts, field for field. lib/analytics.ts restates the
// request's breakdowns (it builds the API client at load, which needs a window, so this pure module only
// takes its types): this is where a drift from the spec fails the typecheck.
const agree = <T extends true>(_: T) => {};
agree<FunnelApiRequest extends Omit<FunnelInput, 'merchantId'> ? true : false>(true);
