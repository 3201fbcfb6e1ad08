import { experiments, experimentVariants, type PitchlineDb, runningExperiments } from '@pitchline/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { loadShippedPitches, NO_SHIPPED_PITCHES, type ShippedPitches, shippedFingerprint } from './shipped';
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
 * Shipped pitches are kept the same way, on a fingerprint of the concluded experiments (shipped.ts):
 * a conclusion is heard within about the TTL.
 */
export function createExperimentCache(
  db: PitchlineDb,
  options: ExperimentCacheOptions = {},
): ExperimentSource {
  const settings = {
    ttlMs: options.ttlMs ?? EXPERIMENT_CACHE_TTL_MS,
    now: options.now ?? (() => performance.now()),
    maxMerchants: options.maxMerchants ?? 1000,
  };
  return {
    running: fingerprintedCache<readonly LiveExperiment[]>(
      settings,
      (merchantId) => fingerprintOf(db, merchantId),
      (merchantId) => runningExperiments(db, merchantId),
      [],
    ),
    shipped: fingerprintedCache(
      settings,
      (merchantId) => shippedFingerprint(db, merchantId),
      (merchantId) => loadShippedPitches(db, merchantId),
      NO_SHIPPED_PITCHES,
    ),
  };
}

/**
 * One value per merchant, served from memory for `ttlMs`, then re-checked with `fingerprint` (one small
 * query) and reloaded only when that changed; a null fingerprint (nothing stored) is `empty` with no
 * load. Concurrent turns of one merchant share one pending check instead of each querying. The least
 * recently refreshed merchant is dropped past `maxMerchants`.
 */
function fingerprintedCache<T>(
  { ttlMs, now, maxMerchants }: Required<ExperimentCacheOptions>,
  fingerprint: (merchantId: string) => Promise<string | null>,
  load: (merchantId: string) => Promise<T>,
  empty: T,
): (merchantId: string) => Promise<T> {
  const entries = new Map<string, { fingerprint: string | null; value: T; checkedAt: number }>();
  const inFlight = new Map<string, Promise<T>>();

  async function refresh(merchantId: string): Promise<T> {
    const checkedAt = now();
    const current = await fingerprint(merchantId);
    const hit = entries.get(merchantId);
    if (hit && hit.fingerprint === current) {
      hit.checkedAt = checkedAt;
      return hit.value;
    }
    const value = current === null ? empty : await load(merchantId);
    entries.delete(merchantId);
    if (entries.size >= maxMerchants) entries.delete(entries.keys().next().value as string);
    entries.set(merchantId, { fingerprint: current, value, checkedAt });
    return value;
  }

  return (merchantId) => {
    const hit = entries.get(merchantId);
    if (hit && now() - hit.checkedAt < ttlMs) return Promise.resolve(hit.value);
    let pending = inFlight.get(merchantId);
    if (!pending) {
      pending = refresh(merchantId).finally(() => inFlight.delete(merchantId));
      inFlight.set(merchantId, pending);
    }
    return pending;
  };
}

/** One aggregate row; md5 keeps the answer small however many variants run. */
async function fingerprintOf(db: PitchlineDb, merchantId: string): Promise<string | null> {
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
  return row?.fingerprint ?? null;
}
