import { desc, eq, inArray } from 'drizzle-orm';
import type { PitchlineDb } from '../open';
import { experiments, experimentVariants } from '../schema';
import { isUuid } from './errors';
import { byKey, type ExperimentView, loadExperiment, toView } from './view';

/** One experiment of the merchant, or null (also for another merchant's id: callers answer 404). */
export async function getExperiment(
  db: PitchlineDb,
  merchantId: string,
  id: string,
): Promise<ExperimentView | null> {
  if (!isUuid(id)) return null;
  try {
    return await loadExperiment(db, merchantId, id);
  } catch (error) {
    if (error instanceof Error && (error as { code?: string }).code === 'not_found') return null;
    throw error;
  }
}

/** The merchant's experiments, newest first, with their live variants. */
export async function listExperiments(db: PitchlineDb, merchantId: string): Promise<ExperimentView[]> {
  const rows = await db
    .select()
    .from(experiments)
    .where(eq(experiments.merchantId, merchantId))
    .orderBy(desc(experiments.createdAt), desc(experiments.id));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const variants = await db
    .select()
    .from(experimentVariants)
    .where(inArray(experimentVariants.experimentId, ids));
  const shippedIds = new Map(variants.map((v) => [v.id, v.key]));
  const live = variants.filter((v) => v.retiredAt === null).sort(byKey);
  return rows.map((row) =>
    toView(
      row,
      live.filter((v) => v.experimentId === row.id),
      row.shippedVariantId ? (shippedIds.get(row.shippedVariantId) ?? null) : null,
    ),
  );
}
