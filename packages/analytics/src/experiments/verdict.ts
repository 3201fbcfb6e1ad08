import { stats } from '@pitchline/core';
import { METRIC_LABELS, type Metric } from './config';

export type Decision = 'keep_running' | 'ship' | 'stop_guardrail' | 'stop_srm' | 'inconclusive';

export interface Verdict {
  decision: Decision;
  /** The variant to ship, when the decision is 'ship'. */
  variant?: string;
  /**
   * Treatments to stop because a guardrail is breached, when another treatment is a safe winner and is
   * shipped (decision 'ship', text "stop c: guardrail breached; ship b").
   */
  stopVariants?: string[];
  /** The verdict in plain words: "keep running", "ship b", "stop: guardrail breached", … */
  text: string;
  /** Why, in a sentence a growth team can act on. */
  reason: string;
}

export interface VerdictVariant {
  key: string;
  isControl: boolean;
  /** Primary metric vs control (undefined for the control). */
  primary?: {
    /** Always-valid p-value, Holm-adjusted across the treatments. */
    adjustedSequentialP: number;
    /** Relative lift (null when the control is zero), and whether the difference is in the good direction. */
    lift: number | null;
    /** Why the lift is undefined, in words ("control has no conversions"). */
    liftReason?: string;
    better: boolean;
    /** Always-valid interval of the relative lift (its own confidence sequence; NaN when it has none). */
    sequentialLiftCi: [number, number];
  };
  breachedGuardrails: Metric[];
}

export interface VerdictInput {
  alpha: number;
  variants: VerdictVariant[];
  srm: { flagged: boolean; pValue: number };
  elapsedDays: number;
  maxDurationDays: number;
  /** Relative minimum detectable effect of the primary metric. */
  minimumDetectableEffect: number;
  primaryLabel: string;
}

/** For ordering winners: an undefined lift (zero control, treatment better) is the largest. */
const liftRank = (v: VerdictVariant) => {
  const lift = v.primary?.lift;
  return typeof lift === 'number' && Number.isFinite(lift) ? lift : Number.POSITIVE_INFINITY;
};
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const p = (x: number) => (x < 0.0001 ? '< 0.0001' : x.toFixed(4));

/**
 * The decision rule, in order of precedence:
 * 1. SRM: the split differs from the weights in force at each user's first exposure, so assignment or logging is broken and no estimate can be
 *    trusted: stop.
 * 2. A guardrail significantly worse (always-valid p, Holm across treatments × guardrails) in any
 *    treatment: users are being hurt now. If the would-be winner (the largest significant lift on the
 *    primary metric, guardrails aside) breaches nothing, the breach is a losing arm's: stop that arm and
 *    ship the winner ("stop c: guardrail breached; ship b"). Otherwise stop the whole experiment: the
 *    arm worth shipping is the one hurting users, or there is nothing to ship yet.
 * 3. A treatment significantly better on the primary metric (always-valid p after Holm across the
 *    treatments): ship it (the largest lift if several qualify). If instead every treatment is
 *    significantly worse, ship the control.
 * 4. Inconclusive when waiting cannot help: past the planned maximum duration, or every treatment's
 *    always-valid interval of the lift already lies inside ±MDE (any effect left is too small to matter).
 * 5. Otherwise keep running: the always-valid p-values allow looking again tomorrow.
 */
export function decideVerdict(input: VerdictInput): Verdict {
  const { alpha } = input;
  if (input.srm.flagged) {
    return {
      decision: 'stop_srm',
      text: 'stop: sample ratio mismatch',
      reason: `The users per variant do not match the split in force when they were first exposed (chi-square p = ${p(input.srm.pValue)}); fix assignment or exposure logging before trusting any number.`,
    };
  }
  const treatments = input.variants.filter((v) => !v.isControl && v.primary);
  const winners = treatments
    .filter((v) => v.primary?.better && stats.significantAt(v.primary.adjustedSequentialP, alpha))
    // A significant winner over a control that converted nobody has no finite lift: it ranks first.
    .sort((a, b) => liftRank(b) - liftRank(a));
  const best = winners[0];
  const breaching = input.variants.filter((v) => v.breachedGuardrails.length > 0);
  const breaches = breaching.flatMap((v) => v.breachedGuardrails.map((m) => `${v.key}: ${METRIC_LABELS[m]}`));
  const evidence = (v: VerdictVariant) =>
    `always-valid p = ${p(v.primary?.adjustedSequentialP ?? 1)} after Holm, α = ${alpha}`;
  const winnerLine = (v: VerdictVariant) =>
    typeof v.primary?.lift === 'number' && Number.isFinite(v.primary.lift)
      ? `${v.key} lifts ${input.primaryLabel} by ${pct(v.primary.lift)} over control (${evidence(v)})`
      : `${v.key} beats control on ${input.primaryLabel}; the relative lift is undefined because the ${v.primary?.liftReason ?? 'control value is zero'} (${evidence(v)})`;
  if (breaching.length > 0) {
    if (best?.primary && best.breachedGuardrails.length === 0) {
      const stopped = breaching.map((v) => v.key);
      return {
        decision: 'ship',
        variant: best.key,
        stopVariants: stopped,
        text: `stop ${stopped.join(', ')}: guardrail breached; ship ${best.key}`,
        reason: `Guardrail breached (significantly worse than control) — ${breaches.join('; ')}: stop ${stopped.join(', ')}. ${winnerLine(best)} and breaches no guardrail; no sample ratio mismatch: ship ${best.key}.`,
      };
    }
    return {
      decision: 'stop_guardrail',
      text: 'stop: guardrail breached',
      reason: `Guardrail breached (significantly worse than control) — ${breaches.join('; ')}${best ? `; ${best.key}, the variant that would have shipped, is among them` : ''}.`,
    };
  }
  if (best?.primary) {
    return {
      decision: 'ship',
      variant: best.key,
      text: `ship ${best.key}`,
      reason: `${winnerLine(best)}; no guardrail breached, no sample ratio mismatch.`,
    };
  }
  const control = input.variants.find((v) => v.isControl);
  if (
    control &&
    treatments.length > 0 &&
    treatments.every(
      (v) => v.primary && !v.primary.better && stats.significantAt(v.primary.adjustedSequentialP, alpha),
    )
  ) {
    return {
      decision: 'ship',
      variant: control.key,
      text: `ship ${control.key}`,
      reason: `Every treatment is significantly worse than the control ${control.key} on ${input.primaryLabel}; keep the control pitch.`,
    };
  }
  const mde = input.minimumDetectableEffect;
  const allSmall =
    treatments.length > 0 &&
    treatments.every(
      (v) => v.primary && v.primary.sequentialLiftCi[0] > -mde && v.primary.sequentialLiftCi[1] < mde,
    );
  if (allSmall) {
    return {
      decision: 'inconclusive',
      text: 'inconclusive',
      reason: `No variant differs from control on ${input.primaryLabel} by the minimum detectable effect of ${pct(mde)}: every always-valid interval of the lift lies inside ±${pct(mde)}.`,
    };
  }
  if (input.elapsedDays >= input.maxDurationDays) {
    return {
      decision: 'inconclusive',
      text: 'inconclusive',
      reason: `No significant difference on ${input.primaryLabel} after ${Math.floor(input.elapsedDays)} days, the planned maximum of ${input.maxDurationDays}.`,
    };
  }
  return {
    decision: 'keep_running',
    text: 'keep running',
    reason: `Not enough evidence yet on ${input.primaryLabel} (day ${Math.floor(input.elapsedDays)} of at most ${input.maxDurationDays}); the sequential p-values stay valid, so look again tomorrow.`,
  };
}
