import type { ExperimentDefinitionInput } from '@pitchline/core';
import {
  createExperiment,
  DEMO_MERCHANT_ID,
  type PitchlineDb,
  products,
  startExperiment,
} from '@pitchline/db';
import { and, eq } from 'drizzle-orm';

/** A demo-shop product's id by name; throws so a renamed seed product fails set-up, not a later assertion. */
export async function productId(db: PitchlineDb, name: string): Promise<string> {
  const [row] = await db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.merchantId, DEMO_MERCHANT_ID), eq(products.name, name)));
  if (!row) throw new Error(`no product ${name}`);
  return row.id;
}

export interface VariantSpec {
  key: string;
  template: string;
  /** 1 unless given. */
  weight?: number;
  isControl?: boolean;
}

export type ExperimentSpec = Omit<Partial<ExperimentDefinitionInput>, 'key' | 'scope' | 'variants'> &
  Pick<ExperimentDefinitionInput, 'key' | 'scope'> & { variants: VariantSpec[] };

/** Created and started through the db repository, as the dashboard's routes do; core fills the defaults. */
export async function runExperiment(db: PitchlineDb, spec: ExperimentSpec): Promise<string> {
  const created = await createExperiment(db, DEMO_MERCHANT_ID, null, {
    primaryMetric: 'conversion',
    ...spec,
    variants: spec.variants.map((v) => ({ weight: 1, isControl: false, ...v, name: v.key })),
  });
  await startExperiment(db, DEMO_MERCHANT_ID, null, created.id);
  return created.id;
}
