import type { Allocation, ExperimentDefinition, ExperimentScope, ExperimentStatus } from '@pitchline/core';
import { and, eq } from 'drizzle-orm';
import type { PitchlineDb, PitchlineTx } from '../open';
import { type Experiment, type ExperimentVariant, experiments, experimentVariants } from '../schema';
import { notFound } from './errors';

/** A live (not retired) variant version. */
export interface VariantView {
  id: string;
  key: string;
  name: string;
  template: string;
  weight: number;
  isControl: boolean;
  version: number;
  createdAt: Date;
}

/** An experiment as the dashboard and the skill read it: its definition, state and live variants. */
export interface ExperimentView {
  id: string;
  merchantId: string;
  key: string;
  name: string;
  hypothesis: string;
  scope: ExperimentScope;
  status: ExperimentStatus;
  primaryMetric: ExperimentDefinition['primaryMetric'];
  secondaryMetrics: ExperimentDefinition['secondaryMetrics'];
  guardrailMetrics: ExperimentDefinition['guardrailMetrics'];
  conversionWindowHours: number;
  salt: string;
  layer: string;
  holdoutPercent: number;
  mode: ExperimentDefinition['mode'];
  banditFloor: number;
  /** Winsorise revenue per user in the results at this quantile of buyers' revenue; null: no cap. */
  revenueCapQuantile: number | null;
  /** Live variants in key order. */
  variants: VariantView[];
  /**
   * Which variant owns each assignment bucket (core's allocation.ts), stored at start and updated
   * with every weight change; null for drafts and for experiments started before it was stored.
   */
  allocation: Allocation | null;
  shippedVariantKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  stoppedAt: Date | null;
  concludedAt: Date | null;
}

export function scopeFromRow(row: Pick<Experiment, 'scope' | 'scopeValue'>): ExperimentScope {
  switch (row.scope) {
    case 'product':
      return { kind: 'product', productId: row.scopeValue };
    case 'category':
      return { kind: 'category', category: row.scopeValue };
    case 'launch':
      return { kind: 'launch' };
  }
}

export function scopeToColumns(scope: ExperimentScope): Pick<Experiment, 'scope' | 'scopeValue'> {
  switch (scope.kind) {
    case 'product':
      return { scope: 'product', scopeValue: scope.productId };
    case 'category':
      return { scope: 'category', scopeValue: scope.category };
    case 'launch':
      return { scope: 'launch', scopeValue: '' };
  }
}

function variantView(v: ExperimentVariant): VariantView {
  return {
    id: v.id,
    key: v.key,
    name: v.name,
    template: v.template,
    weight: v.weight,
    isControl: v.isControl,
    version: v.version,
    createdAt: v.createdAt,
  };
}

export function toView(
  row: Experiment,
  live: ExperimentVariant[],
  shippedVariantKey: string | null,
): ExperimentView {
  return {
    id: row.id,
    merchantId: row.merchantId,
    key: row.key,
    name: row.name,
    hypothesis: row.hypothesis,
    scope: scopeFromRow(row),
    status: row.status,
    primaryMetric: row.primaryMetric,
    secondaryMetrics: row.secondaryMetrics as ExperimentView['secondaryMetrics'],
    guardrailMetrics: row.guardrailMetrics as ExperimentView['guardrailMetrics'],
    conversionWindowHours: row.conversionWindowHours,
    salt: row.salt,
    layer: row.layer,
    holdoutPercent: row.holdoutPercent,
    mode: row.mode,
    banditFloor: row.banditFloor,
    revenueCapQuantile: row.revenueCapQuantile,
    variants: live.map(variantView),
    allocation: row.allocation,
    shippedVariantKey,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    startedAt: row.startedAt,
    stoppedAt: row.stoppedAt,
    concludedAt: row.concludedAt,
  };
}

/** The stored definition in core's shape, for planEdit and for re-validation before start. */
export function definitionOf(view: ExperimentView): ExperimentDefinition {
  return {
    key: view.key,
    name: view.name,
    hypothesis: view.hypothesis,
    scope: view.scope,
    variants: view.variants.map((v) => ({
      key: v.key,
      name: v.name,
      template: v.template,
      weight: v.weight,
      isControl: v.isControl,
    })),
    primaryMetric: view.primaryMetric,
    secondaryMetrics: view.secondaryMetrics,
    guardrailMetrics: view.guardrailMetrics,
    conversionWindowHours: view.conversionWindowHours,
    layer: view.layer,
    holdoutPercent: view.holdoutPercent,
    mode: view.mode,
    banditFloor: view.banditFloor,
    revenueCapQuantile: view.revenueCapQuantile,
  };
}

/** Code-unit order, as core's assignment uses; a database collation could order '-' and '_' otherwise. */
export const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * One merchant's experiment with its live variants. With `lock`, the experiment row is locked for
 * the rest of the transaction, so concurrent edits and transitions of one experiment serialize.
 */
export async function loadExperiment(
  db: PitchlineDb | PitchlineTx,
  merchantId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<ExperimentView> {
  const where = and(eq(experiments.id, id), eq(experiments.merchantId, merchantId));
  const query = db.select().from(experiments).where(where);
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row) throw notFound();
  const variants = await db.select().from(experimentVariants).where(eq(experimentVariants.experimentId, id));
  const live = variants.filter((v) => v.retiredAt === null).sort(byKey);
  const shipped = row.shippedVariantId
    ? (variants.find((v) => v.id === row.shippedVariantId)?.key ?? null)
    : null;
  return toView(row, live, shipped);
}
