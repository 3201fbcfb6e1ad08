import type { PitchlineEvent } from '@pitchline/core';
import type { FunnelSpec, FunnelStep } from '../funnel-spec';
import type { Filter } from '../params';
import { addDays, localDay, localMidnight } from './brute';

/**
 * The funnel (funnel-spec.ts) by brute force: the units that entered, their step times, level and group.
 * Slow and obvious on purpose, recomputed from the definitions written beside the queries: the tests
 * compare them with the SQL results.
 */

const DAY = 86_400_000;

function field(e: PitchlineEvent, f: Filter['field']): string {
  const r = e as unknown as Record<string, unknown>;
  switch (f) {
    case 'has_screen':
      return r.has_screen === true ? 'true' : 'false';
    case 'product_id':
      return (r.product_id as string | undefined) ?? '00000000-0000-0000-0000-000000000000';
    default:
      return (r[f] as string | undefined) ?? '';
  }
}

export function matchesStep(e: PitchlineEvent, s: FunnelStep): boolean {
  if (e.type !== s.type) return false;
  return s.filters.every((f) => (f.op === 'in') === f.values.includes(field(e, f.field)));
}

export function sortEvents(events: readonly PitchlineEvent[]): PitchlineEvent[] {
  return [...events].sort((a, b) => a.ts - b.ts);
}

export interface BruteUnit {
  unit: string;
  f: (number | null)[];
  bd: string;
  level: number;
}

function firstBy(
  events: PitchlineEvent[],
  pred: (e: PitchlineEvent) => boolean,
  val: (e: PitchlineEvent) => string,
): string {
  const e = events.find(pred);
  return e ? val(e) : '';
}

function breakdownOf(spec: FunnelSpec, evs: PitchlineEvent[]): string {
  const nil = '00000000-0000-0000-0000-000000000000';
  switch (spec.breakdown) {
    case 'none':
      return '';
    case 'variant':
      return firstBy(
        evs,
        (e) =>
          e.type === 'pitch_exposure' &&
          (spec.experimentKey === undefined || e.experiment_key === spec.experimentKey),
        (e) => {
          const x = e as Extract<PitchlineEvent, { type: 'pitch_exposure' }>;
          return spec.experimentKey === undefined ? `${x.experiment_key}:${x.variant_key}` : x.variant_key;
        },
      );
    case 'experiment':
      return firstBy(
        evs,
        (e) => e.type === 'pitch_exposure',
        (e) => (e as { experiment_key: string }).experiment_key,
      );
    case 'locale':
      return firstBy(
        evs,
        (e) => e.type === 'session_start',
        (e) => (e as { locale: string }).locale,
      );
    case 'device':
      return firstBy(
        evs,
        (e) => e.type === 'session_start',
        (e) => ((e as { has_screen: boolean }).has_screen ? 'screen' : 'voice'),
      );
    case 'product':
      return firstBy(
        evs,
        (e) => (e.type === 'pitch_exposure' || e.type === 'cart_add') && (e.product_id ?? nil) !== nil,
        (e) => (e as { product_id: string }).product_id,
      );
  }
}

/** Every unit that entered the funnel, with its first-step times, breakdown value and level. */
export function bruteFunnelUnits(all: readonly PitchlineEvent[], spec: FunnelSpec): BruteUnit[] {
  const lo = localMidnight(spec.from, spec.tz) - DAY;
  const hi = localMidnight(addDays(spec.to, 1), spec.tz) + spec.windowSeconds * 1000;
  const byUnit = new Map<string, PitchlineEvent[]>();
  for (const e of sortEvents(all)) {
    if (e.merchant_id !== spec.merchantId || e.ts < lo || e.ts >= hi) continue;
    const key = spec.unit === 'session' ? e.session_id : e.user_id;
    const list = byUnit.get(key);
    if (list) list.push(e);
    else byUnit.set(key, [e]);
  }
  const W = spec.windowSeconds * 1000;
  const out: BruteUnit[] = [];
  for (const [unit, evs] of byUnit) {
    const f = spec.steps.map((s) => evs.find((e) => matchesStep(e, s))?.ts ?? null);
    const f1 = f[0];
    if (f1 === null || f1 === undefined) continue;
    const day = localDay(f1, spec.tz);
    if (day < spec.from || day > spec.to) continue;
    if (spec.exclusions.some((x) => evs.some((e) => matchesStep(e, x)))) continue;
    let level = 1;
    for (let k = 1; k < f.length; k++) {
      const fk = f[k];
      if (fk === null || fk === undefined) break;
      const upTo = f.slice(0, k + 1) as number[];
      if (spec.mode === 'any_order') {
        if (Math.max(...upTo) - Math.min(...upTo) > W) break;
      } else {
        const prev = f[k - 1] as number;
        if (spec.mode === 'strict' ? !(prev < fk) : !(prev <= fk)) break;
        if (fk - f1 > W) break;
      }
      level = k + 1;
    }
    out.push({ unit, f, bd: breakdownOf(spec, evs), level });
  }
  return out;
}

export function bruteFunnel(all: readonly PitchlineEvent[], spec: FunnelSpec) {
  const units = bruteFunnelUnits(all, spec);
  const groups = new Map<string, BruteUnit[]>();
  for (const u of units) {
    const g = spec.breakdown === 'none' ? '' : u.bd === '' ? '(none)' : u.bd;
    groups.set(g, [...(groups.get(g) ?? []), u]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, us]) => ({
      group,
      counts: spec.steps.map((_, i) => us.filter((u) => u.level >= i + 1).length),
      gaps: spec.steps.map((_, i) => {
        if (i === 0) return [];
        return us
          .filter((u) => u.level >= i + 1)
          .map(
            (u) =>
              Math.max(...(u.f.slice(0, i + 1) as number[])) - Math.max(...(u.f.slice(0, i) as number[])),
          );
      }),
    }));
}
