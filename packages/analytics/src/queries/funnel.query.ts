import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import type { Figure } from '../metrics/catalogue';
import { figure } from '../metrics/figures';
import { FUNNEL_STEP_NAMES, type FunnelInput, type FunnelSpec, funnelSpecSchema } from './funnel-spec';
import { unitsQuery } from './funnel-units';
import type { PreviousPeriod } from './previous-period';
import { NONE_LABEL, selectRows } from './run';

export interface FunnelStepResult {
  type: string;
  /** The step in words ("Heard a pitch"). */
  name: string;
  /**
   * The catalogue metric its count is: `sessions` for a plain first step session_start of a session
   * funnel, `pitched_sessions` for a plain pitch_exposure right after it, else `funnel_step`.
   */
  metric: FunnelStepMetric;
  /** Units that reached this step. */
  count: number;
  /** Share of the previous step's units (1 for the first step). */
  fromPrevious: number;
  /** Share of the first step's units. */
  fromFirst: number;
  /** Units of the previous step that did not reach this one. */
  dropOff: number;
  /** Seconds from reaching the previous step to reaching this one, over the units that did; null for step 1. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface FunnelGroup {
  /** The breakdown value ('(none)' when the unit had none, e.g. heard no pitch); '' without breakdown. */
  group: string;
  /** The group in words (a variant's name, a product's name), filled in by the API from Postgres. */
  name?: string;
  steps: FunnelStepResult[];
}

export type FunnelStepMetric = 'sessions' | 'pitched_sessions' | 'funnel_step';

export interface FunnelResult {
  groups: FunnelGroup[];
  /** The steps' totals over every group that are catalogue figures (sessions, pitched_sessions). */
  figures: { sessions?: Figure<'sessions'>; pitched_sessions?: Figure<'pitched_sessions'> };
  /** Filled in by the API: the same figures for the period before, and how much data it holds. */
  previousPeriod?: PreviousPeriod | null;
  previousFigures?: FunnelResult['figures'] | null;
  /** Which data answered: the per-session rollup, or the raw events (filters, users, or forced). */
  source: 'rollup' | 'events';
}

const rowSchema = z.object({
  bd: z.string(),
  counts: z.array(z.coerce.number()),
  /** Per step, [median, p90] of the milliseconds it took to reach it. */
  qs: z.array(z.array(z.coerce.number())),
});

/** Exact quantiles, so the brute-force test can recompute them: ClickHouse's quantileExact picks element ⌊level·n⌋. */
export function funnelSql(database: string, spec: FunnelSpec, scope: 'merchant' | 'all' = 'merchant') {
  const units = unitsQuery(database, spec, scope);
  const n = spec.steps.length;
  const counts = Array.from({ length: n }, (_, i) => `toUInt32(countIf(level >= ${i + 1}))`);
  const upTo = (m: number) => Array.from({ length: m }, (_, i) => `f${i + 1}`).join(', ');
  // One quantiles state per step: both levels come from the same collected values.
  // Among units that reached step k in order, f1 ≤ … ≤ fk, so the greatest of each prefix is its last
  // step: fk - f(k-1) is the same gap without two greatest() per row (measured ~15 % of the query).
  const gap = (k: number) =>
    spec.mode === 'any_order' ? `greatest(${upTo(k)}) - greatest(${upTo(k - 1)})` : `f${k} - f${k - 1}`;
  // Gaps never exceed the window; under 2^32 ms they are collected as UInt32, which halves what
  // quantilesExact sorts (measured ~15 % of the query at 1.3M sessions).
  const narrow = spec.windowSeconds * 1000 < 2 ** 32;
  const qs = Array.from({ length: n }, (_, i) =>
    i === 0
      ? '[0., 0.]'
      : `arrayMap(x -> toFloat64(x), quantilesExactIf(0.5, 0.9)(${narrow ? `toUInt32(${gap(i + 1)})` : gap(i + 1)}, level >= ${i + 1}))`,
  );
  const sql = `
SELECT bd, [${counts.join(', ')}] AS counts, [${qs.join(', ')}] AS qs
FROM (${units.sql}
)
GROUP BY bd
ORDER BY bd`;
  return { sql, params: units.params, source: units.source };
}

export async function queryFunnel(ch: ClickHouseHandle, input: FunnelInput): Promise<FunnelResult> {
  const spec = funnelSpecSchema.parse(input);
  const { sql, params, source } = funnelSql(ch.database, spec);
  const rows = await selectRows(ch, sql, params, rowSchema);
  const groups = rows.map((r) => toGroup(spec, r));
  return { source, groups, figures: funnelFigures(spec, groups) };
}

/** Which catalogue metric step `i`'s count is (see FunnelStepResult.metric). */
export function stepMetric(spec: FunnelSpec, i: number): FunnelStepMetric {
  const plain = (k: number) => (spec.steps[k]?.filters.length ?? 1) === 0;
  const catalogued = spec.unit === 'session' && spec.exclusions.length === 0;
  if (!catalogued || !plain(0) || spec.steps[0]?.type !== 'session_start') return 'funnel_step';
  if (i === 0) return 'sessions';
  // A pitch is always after its session's start, so "started, then heard a pitch" is "heard a pitch".
  if (i === 1 && plain(1) && spec.steps[1]?.type === 'pitch_exposure') return 'pitched_sessions';
  return 'funnel_step';
}

function funnelFigures(spec: FunnelSpec, groups: FunnelGroup[]): FunnelResult['figures'] {
  const total = (i: number) => groups.reduce((a, g) => a + (g.steps[i]?.count ?? 0), 0);
  const out: FunnelResult['figures'] = {};
  if (stepMetric(spec, 0) === 'sessions') out.sessions = figure('sessions', total(0));
  if (stepMetric(spec, 1) === 'pitched_sessions') out.pitched_sessions = figure('pitched_sessions', total(1));
  return out;
}

export function toGroup(spec: FunnelSpec, r: z.infer<typeof rowSchema>): FunnelGroup {
  const first = r.counts[0] ?? 0;
  return {
    group: spec.breakdown === 'none' ? '' : r.bd === '' ? NONE_LABEL : r.bd,
    steps: spec.steps.map((s, i) => {
      const count = r.counts[i] ?? 0;
      const prev = i === 0 ? count : (r.counts[i - 1] ?? 0);
      return {
        type: s.type,
        name: FUNNEL_STEP_NAMES[s.type as keyof typeof FUNNEL_STEP_NAMES] ?? s.type,
        metric: stepMetric(spec, i),
        count,
        fromPrevious: prev === 0 ? 0 : count / prev,
        fromFirst: first === 0 ? 0 : count / first,
        dropOff: prev - count,
        medianSeconds: i === 0 || count === 0 ? null : (r.qs[i]?.[0] ?? 0) / 1000,
        p90Seconds: i === 0 || count === 0 ? null : (r.qs[i]?.[1] ?? 0) / 1000,
      };
    }),
  };
}
