import { and, eq, isNull } from 'drizzle-orm';
import type { PitchlineDb } from './open';
import { jobRuns } from './schema';

/**
 * Claims a job's run for one slot: true when this instance inserted the ledger row and so must run it,
 * false when the slot was already claimed (by any instance). The unique (job, slot) key decides.
 */
export async function claimJobRun(
  db: PitchlineDb,
  run: { job: string; slot: string; instance: string; now?: Date },
): Promise<string | null> {
  const [row] = await db
    .insert(jobRuns)
    .values({ job: run.job, slot: run.slot, instance: run.instance, startedAt: run.now ?? new Date() })
    .onConflictDoNothing({ target: [jobRuns.job, jobRuns.slot] })
    .returning({ id: jobRuns.id });
  return row?.id ?? null;
}

export async function finishJobRun(db: PitchlineDb, runId: string, error?: string, now = new Date()) {
  await db
    .update(jobRuns)
    .set({ finishedAt: now, error: error ?? null })
    .where(and(eq(jobRuns.id, runId), isNull(jobRuns.finishedAt)));
}

/** The ledger, oldest first (for tests and operators). */
export async function listJobRuns(db: PitchlineDb, job?: string) {
  const query = db.select().from(jobRuns).orderBy(jobRuns.startedAt, jobRuns.slot).$dynamic();
  return job ? query.where(eq(jobRuns.job, job)) : query;
}
