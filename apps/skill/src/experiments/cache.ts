import { experiments, experimentVariants, type PitchlineDb, runningExperiments } from '@pitchline/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { createShippedPitchCache, type ShippedPitches } from './shipped';
import type { LiveExperiment } from './types';

export interface ExperimentSource {
  /** The merchant's running experiments; may be a few seconds stale (see createExperimentCache). */
  running(merchantId: string): Promise<readonly LiveExperiment[]>;
  /** What concluded experiments shipped, per scope (shipped.ts); as stale as `running`. */
  shipped(merchantId: string): Promise<ShippedPitches>;
}

export interface ExperimentCacheOptions {
  /** How long an answer is served without asking the database at all. */
  ttlMs?: number;
  /** Monotonic milliseconds; the dialog's clock may be a simulator's, so it is not used here. */
  now?: () => number;
  maxMerchants?: number;
}

/** A started or stopped experiment is heard within this long, without a query on every turn. */
export const EXPERIMENT_CACHE_TTL_MS = 2000;

/**
 * Per merchant: answers from memory for `ttlMs`, then asks the database for a fingerprint of what is
 * running (ids, update times, live variant ids and weights) and reloads only when it changed. Weights
 * are in the fingerprint because the bandit job rewrites them in place, which moves no timestamp.
 * Concurrent turns of one merchant share one pending check instead of each querying.
 */
export function createExperimentCache(
  db: PitchlineDb,
  options: ExperimentCacheOptions = {},
): ExperimentSource {
  const ttlMs = options.ttlMs ?? EXPERIMENT_CACHE_TTL_MS;
  const now = options.now ?? (() => performance.now());
  const maxMerchants = options.maxMerchants ?? 1000;
  interface Entry {
    fingerprint: string;
    experiments: readonly LiveExperiment[];
    checkedAt: number;
  }
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<readonly LiveExperiment[]>>();
  const shipped = createShippedPitchCache(db, { ttlMs, now, maxMerchants });

  async function refresh(merchantId: string): Promise<readonly LiveExperiment[]> {
    const checkedAt = now();
    const fingerprint = await fingerprintOf(db, merchantId);
    const hit = entries.get(merchantId);
    if (hit && hit.fingerprint === fingerprint) {
      hit.checkedAt = checkedAt;
      return hit.experiments;
    }
    const loaded = fingerprint === EMPTY ? [] : await runningExperiments(db, merchantId);
    entries.delete(merchantId);
    if (entries.size >= maxMerchants) entries.delete(entries.keys().next().value as string);
    entries.set(merchantId, { fingerprint, experiments: loaded, checkedAt });
    return loaded;
  }

  return {
    shipped,
    running(merchantId) {
      const hit = entries.get(merchantId);
      if (hit && now() - hit.checkedAt < ttlMs) return Promise.resolve(hit.experiments);
      let pending = inFlight.get(merchantId);
      if (!pending) {
        pending = refresh(merchantId).finally(() => inFlight.delete(merchantId));
        inFlight.set(merchantId, pending);
      }
      return pending;
    },
  };
}

const EMPTY = 'none';

/** One aggregate row; md5 keeps the answer small however many variants run. */
async function fingerprintOf(db: PitchlineDb, merchantId: string): Promise<string> {
  const [row] = await db
    .select({
      fingerprint: sql<string | null>`md5(string_agg(
        concat_ws('|', ${experiments.id}, ${experiments.updatedAt}, ${experiments.salt},
          ${experiments.layer}, ${experiments.holdoutPercent}, ${experiments.mode},
          ${experiments.scope}, ${experiments.scopeValue}, ${experiments.startedAt}, ${experimentVariants.id},
          ${experimentVariants.weight}),
        ',' order by ${experimentVariants.id}))`,
    })
    .from(experiments)
    .innerJoin(
      experimentVariants,
      and(eq(experimentVariants.experimentId, experiments.id), isNull(experimentVariants.retiredAt)),
    )
    .where(and(eq(experiments.merchantId, merchantId), eq(experiments.status, 'running')));
  return row?.fingerprint ?? EMPTY;
}
