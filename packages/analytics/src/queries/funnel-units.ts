import { NEVER_MS, qualified, SUMMARY_STEP_TYPES, TABLES } from '../tables';
import { filterSql } from './filters';
import type { FunnelSpec } from './funnel-spec';
import { TS_FROM, TS_TO_EXCL } from './run';

/*
 * The SQL of a funnel (funnel-spec.ts says what it means): one row per unit that entered, with its
 * first-step times, breakdown value and level, from session_funnel when it can answer, else the events.
 * "Step never reached" is NEVER_MS: beyond any real event, so plain integer comparisons stay valid.
 */

const NIL_UUID = "toUUID('00000000-0000-0000-0000-000000000000')";
const summaryTypes = new Set<string>(SUMMARY_STEP_TYPES);

/** The session summary answers funnels of whole event types per session; filters need the raw events. */
export function canUseRollup(spec: FunnelSpec): boolean {
  if (spec.source === 'events' || spec.unit !== 'session') return false;
  return [...spec.steps, ...spec.exclusions].every((s) => s.filters.length === 0 && summaryTypes.has(s.type));
}

export interface UnitsQuery {
  /** SELECT of one row per unit that entered: unit, f1…fn (ms), bd, level. */
  sql: string;
  params: Record<string, unknown>;
  source: 'rollup' | 'events';
}

function levelColumns(spec: FunnelSpec): string {
  const n = spec.steps.length;
  const cols: string[] = [];
  for (let k = 1; k <= n; k++) {
    const fs = Array.from({ length: k }, (_, i) => `f${i + 1}`);
    let cond: string;
    if (k === 1) cond = `f1 < ${NEVER_MS}`;
    else if (spec.mode === 'any_order') {
      cond = `ok${k - 1} AND f${k} < ${NEVER_MS} AND greatest(${fs.join(', ')}) - least(${fs.join(', ')}) <= {windowMs:Int64}`;
    } else {
      const op = spec.mode === 'strict' ? '<' : '<=';
      cond = `ok${k - 1} AND f${k} < ${NEVER_MS} AND f${k - 1} ${op} f${k} AND f${k} - f1 <= {windowMs:Int64}`;
    }
    cols.push(`${cond} AS ok${k}`);
  }
  const level = Array.from({ length: n }, (_, i) => `ok${i + 1}`).join(' + ');
  return `${cols.join(',\n  ')},\n  toUInt8(${level}) AS level`;
}

function rawBreakdown(spec: FunnelSpec): string {
  switch (spec.breakdown) {
    case 'none':
      return "''";
    case 'variant':
      return spec.experimentKey
        ? "argMinIf(variant_key, ts, type = 'pitch_exposure' AND experiment_key = {bdExperiment:String})"
        : "argMinIf(concat(experiment_key, ':', variant_key), ts, type = 'pitch_exposure')";
    case 'experiment':
      return "argMinIf(experiment_key, ts, type = 'pitch_exposure')";
    case 'locale':
      return "argMinIf(locale, ts, type = 'session_start')";
    case 'device':
      return "argMinIf(if(has_screen, 'screen', 'voice'), ts, type = 'session_start')";
    case 'product':
      return `argMinIf(toString(product_id), ts, type IN ('pitch_exposure', 'cart_add') AND product_id != ${NIL_UUID})`;
  }
}

function rollupBreakdown(spec: FunnelSpec): string {
  // first_variant / first_product hold (ms, key) of the earliest one: the key is a plain column read.
  switch (spec.breakdown) {
    case 'none':
      return "''";
    case 'variant':
      // One experiment's first variant: the earliest of its keys in the per-key map (rarer, so arrays are fine).
      return spec.experimentKey
        ? `splitByChar(':', arraySort((k, t) -> t, arrayFilter((k, t) -> startsWith(k, concat({bdExperiment:String}, ':')), variant_first.1, variant_first.2), arrayFilter((t, k) -> startsWith(k, concat({bdExperiment:String}, ':')), variant_first.2, variant_first.1))[1])[2]`
        : 'first_variant.2';
    case 'experiment':
      return "splitByChar(':', first_variant.2)[1]";
    case 'locale':
      return 'locale';
    case 'device':
      return 'device';
    case 'product':
      return 'first_product.2';
  }
}

function breakdownTypes(spec: FunnelSpec): string[] {
  switch (spec.breakdown) {
    case 'variant':
    case 'experiment':
      return ['pitch_exposure'];
    case 'locale':
    case 'device':
      return ['session_start'];
    case 'product':
      return ['pitch_exposure', 'cart_add'];
    default:
      return [];
  }
}

/**
 * The per-unit subquery. `merchantScope` is always the caller's merchant in the exported queries; the
 * benchmark alone passes 'all' to time the same SQL over every tenant.
 */
export function unitsQuery(
  database: string,
  spec: FunnelSpec,
  merchantScope: 'merchant' | 'all' = 'merchant',
): UnitsQuery {
  const params: Record<string, unknown> = {
    merchantId: spec.merchantId,
    from: spec.from,
    to: spec.to,
    tz: spec.tz,
    windowMs: spec.windowSeconds * 1000,
  };
  if (spec.experimentKey !== undefined) params.bdExperiment = spec.experimentKey;
  const tenant = merchantScope === 'merchant' ? 'merchant_id = {merchantId:UUID} AND ' : '';
  const n = spec.steps.length;
  // Local midnights as constants: comparing integers per unit instead of converting each f1 to a local date.
  const msFrom = `toUnixTimestamp(${TS_FROM}) * 1000`;
  const msTo = `toUnixTimestamp(${TS_TO_EXCL}) * 1000`;
  const inRange = `f1 >= ${msFrom} AND f1 < ${msTo}`;

  if (canUseRollup(spec)) {
    const fcols = spec.steps.map((s, i) => `ms_${s.type} AS f${i + 1}`).join(',\n    ');
    const excluded = spec.exclusions.length
      ? spec.exclusions.map((s) => `ms_${s.type} != ${NEVER_MS}`).join(' OR ')
      : '0';
    const sql = `
SELECT unit, ${Array.from({ length: n }, (_, i) => `f${i + 1}`).join(', ')}, bd,
  ${levelColumns(spec)}
FROM (
  SELECT session_id AS unit,
    ${fcols},
    ${rollupBreakdown(spec)} AS bd,
    ${excluded} AS excluded
  FROM ${qualified(database, TABLES.sessionFunnel)} FINAL
  WHERE ${tenant}first_ms >= ${msFrom} - 86400000 AND first_ms < ${msTo}
)
WHERE ${inRange} AND NOT excluded`;
    return { sql, params, source: 'rollup' };
  }

  const stepConds = spec.steps.map(
    (s, i) => `type = {st_${i}:String}${filterSql(s.filters, `sf_${i}`, params)}`,
  );
  spec.steps.forEach((s, i) => {
    params[`st_${i}`] = s.type;
  });
  const exclConds = spec.exclusions.map((s, i) => {
    params[`et_${i}`] = s.type;
    return `(type = {et_${i}:String}${filterSql(s.filters, `ef_${i}`, params)})`;
  });
  params.types = [
    ...new Set([
      ...spec.steps.map((s) => s.type),
      ...spec.exclusions.map((s) => s.type),
      ...breakdownTypes(spec),
    ]),
  ];
  const unitCol = spec.unit === 'session' ? 'session_id' : 'user_id';
  const fcols = stepConds
    .map((c, i) => `min(if(${c}, toUnixTimestamp64Milli(ts), ${NEVER_MS})) AS f${i + 1}`)
    .join(',\n    ');
  const sql = `
SELECT unit, ${Array.from({ length: n }, (_, i) => `f${i + 1}`).join(', ')}, bd,
  ${levelColumns(spec)}
FROM (
  SELECT ${unitCol} AS unit,
    ${fcols},
    ${rawBreakdown(spec)} AS bd,
    ${exclConds.length ? `countIf(${exclConds.join(' OR ')})` : '0'} AS excluded
  FROM ${qualified(database, TABLES.events)}
  WHERE ${tenant}type IN {types:Array(String)}
    AND ts >= ${TS_FROM} - INTERVAL 1 DAY AND ts < ${TS_TO_EXCL} + toIntervalMillisecond({windowMs:Int64})
  GROUP BY unit
)
WHERE ${inRange} AND excluded = 0`;
  return { sql, params, source: 'events' };
}
