import { stats as engine } from '@pitchline/core';
import { HIGHER_IS_BETTER } from './config';
import { type Comparison, compare, type Estimate } from './estimates';
import { type LookEstimates, type MetricSpec, metricPath } from './metric-estimates';
import type { MetricComparison, MetricRole } from './result-types';
import { type SequentialPath, sequentialPath } from './sequential-path';

export interface ComparisonSettings {
  specs: readonly MetricSpec[];
  looks: readonly LookEstimates[];
  alpha: number;
  mixingEffect: number;
}

interface RawComparison {
  seq: SequentialPath;
  cmp: Comparison;
}

/** Fixed-horizon comparison at the last look, and the always-valid path over every look: [member][spec]. */
function compareUnadjusted(
  s: ComparisonSettings,
  reference: number,
  members: readonly number[],
): RawComparison[][] {
  const final = s.looks.at(-1) as LookEstimates;
  return members.map((ai) =>
    s.specs.map((spec, si) => {
      const seq = sequentialPath(metricPath(s.looks, si), ai, reference, s.alpha, s.mixingEffect);
      const t = final.estimates[ai]?.[si] as Estimate;
      const c = final.estimates[reference]?.[si] as Estimate;
      return { seq, cmp: compare(t, c, s.alpha, HIGHER_IS_BETTER[spec.metric]) };
    }),
  );
}

/**
 * Holm adjustment of the always-valid p-values in one family per metric role, each across the members ×
 * its metrics: the primary metric (the ship decision), the guardrails (the stop decision) and the secondary
 * metrics (read, never acted on alone). Each decision keeps its family-wise error ≤ α without secondary
 * metrics diluting the power of the primary one. Returns [member][spec].
 */
function holmPerRole(specs: readonly MetricSpec[], raw: readonly RawComparison[][]): number[][] {
  const adjusted = raw.map(() => specs.map(() => 1));
  for (const role of ['primary', 'secondary', 'guardrail'] as MetricRole[]) {
    const family: [number, number][] = [];
    raw.forEach((_, mi) => {
      specs.forEach((s, si) => {
        if (s.role === role) family.push([mi, si]);
      });
    });
    const adj = engine.holm(family.map(([mi, si]) => raw[mi]?.[si]?.seq.p ?? 1));
    family.forEach(([mi, si], k) => {
      (adjusted[mi] as number[])[si] = adj[k] ?? 1;
    });
  }
  return adjusted;
}

/**
 * Every arm of `members` against `reference` on every metric: fixed-horizon comparison, always-valid
 * p-value and confidence sequence, Holm-adjusted p-value, and whether it is significant and which way.
 */
export function compareArms(
  s: ComparisonSettings,
  reference: number,
  members: readonly number[],
): Map<number, MetricComparison[]> {
  const raw = compareUnadjusted(s, reference, members);
  const adjusted = holmPerRole(s.specs, raw);
  return new Map(
    raw.map((row, mi) => [
      members[mi] as number,
      row.map(({ seq, cmp }, si): MetricComparison => {
        const metric = (s.specs[si] as MetricSpec).metric;
        const adjustedPValue = adjusted[mi]?.[si] ?? 1;
        const significant = engine.significantAt(adjustedPValue, s.alpha);
        const better = HIGHER_IS_BETTER[metric] ? cmp.difference > 0 : cmp.difference < 0;
        return {
          ...cmp,
          sequentialPValue: seq.p,
          sequentialDifferenceCi: seq.ci,
          sequentialLiftCi: seq.liftCi,
          adjustedPValue,
          significant,
          direction: significant ? (better ? 'better' : 'worse') : 'none',
        };
      }),
    ]),
  );
}

/** Each treatment's always-valid p-value on the primary metric (spec 0) against the control, look by look. */
export function primaryPValuePaths(
  s: ComparisonSettings,
  controlIndex: number,
  treatments: readonly number[],
): Map<number, number[]> {
  return new Map(
    treatments.map((vi) => [
      vi,
      sequentialPath(metricPath(s.looks, 0), vi, controlIndex, s.alpha, s.mixingEffect).path,
    ]),
  );
}
