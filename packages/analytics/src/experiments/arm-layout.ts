import { HOLDOUT_VARIANT_KEY } from '@pitchline/core';
import type { ParsedExperiment } from './config';

export interface ArmLayout {
  /** The defined variants in their order, then the holdout when there is one: the arm index everywhere. */
  keys: string[];
  controlIndex: number;
  /** The holdout's index, or −1 without one. */
  holdoutIndex: number;
  /** Exposures to variant keys the experiment does not define (ignored in the estimates), sorted. */
  unknownVariants: string[];
}

/**
 * Which arms the analysis has. The holdout is one when the definition holds users out, or when holdout
 * exposures were logged anyway (a definition edited while running): those users are never a variant's.
 */
export function layoutArms(
  experiment: ParsedExperiment,
  seen: { exposures: ReadonlyMap<string, number>; rows: readonly { variant: string }[] },
): ArmLayout {
  const defined = new Set(experiment.variants.map((v) => v.key));
  const seenKeys = new Set([...seen.exposures.keys(), ...seen.rows.map((r) => r.variant)]);
  const hasHoldout = experiment.holdoutPercent > 0 || seenKeys.has(HOLDOUT_VARIANT_KEY);
  return {
    keys: [...experiment.variants.map((v) => v.key), ...(hasHoldout ? [HOLDOUT_VARIANT_KEY] : [])],
    controlIndex: experiment.variants.findIndex((v) => v.isControl),
    holdoutIndex: hasHoldout ? experiment.variants.length : -1,
    unknownVariants: [...seenKeys].filter((k) => !defined.has(k) && k !== HOLDOUT_VARIANT_KEY).sort(),
  };
}
