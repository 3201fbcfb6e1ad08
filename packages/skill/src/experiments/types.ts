import type { Allocation } from '@pitchline/core';
import type { EXPERIMENT_MODES, EXPERIMENT_SCOPES } from '@pitchline/db';

/** A live (not retired) version of a pitch variant, as the skill needs it to speak and to assign. */
export interface LiveVariant {
  id: string;
  key: string;
  template: string;
  /** Relative traffic weight; in bandit mode the stats job rewrites it, the skill only reads it. */
  weight: number;
  isControl: boolean;
  version: number;
}

/** A running experiment of one merchant with its live variants. */
export interface LiveExperiment {
  id: string;
  key: string;
  scope: (typeof EXPERIMENT_SCOPES)[number];
  /** Product id for `product`, category name for `category`; ignored for `launch` (one launch slot). */
  scopeValue: string;
  salt: string;
  layer: string;
  holdoutPercent: number;
  mode: (typeof EXPERIMENT_MODES)[number];
  /** Orders the experiments of a layer without a stored layer allocation (core's statelessLayerAllocation). */
  startedAt: Date | null;
  variants: readonly LiveVariant[];
  /**
   * Which variant owns each assignment bucket, as the store last wrote it with the weights; null or
   * absent: the contiguous split of the weights (experiments started before it was stored).
   */
  allocation?: Allocation | null;
  /** How the experiment's layer is divided between its running experiments; null or absent: equally, by start. */
  layerAllocation?: Allocation | null;
}

/** Where a pitch is spoken: the launch greeting's featured product, or a product's details. */
export type PitchSlot =
  | { kind: 'launch'; productId: string; category: string }
  | { kind: 'product'; productId: string; category: string };
