import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';

/**
 * Observed and expected users per arm for the sample-ratio-mismatch check, with the split that was IN
 * FORCE when each user was first exposed rather than today's weights: weights legitimately change while
 * an experiment runs (an edit in fixed mode, every reallocation in bandit mode), and a user first exposed
 * under 50/50 counts ½ to each arm's expectation even after a change to 20/80.
 *
 * The split in force comes from the log itself: every pitch_exposure records the assignment probability
 * of the arm it assigned (assignment.ts: the exact bucket share, holdout included), so the probability of
 * arm j at instant t is the one logged by the latest FIRST exposure to j at or before t (an ASOF join),
 * or by j's earliest one when j has none yet. First exposures only: a repeat exposure of a user assigned
 * long ago says nothing about the split of the moment if a client logged the stale share. It is what the skill process actually used, cache delays included,
 * which the edit history's timestamps are not. Per user the arms' probabilities are normalised to sum to
 * 1 (right after a change one arm may still show its old share until its next exposure), so
 *   E_j = Σ_users p_j(t_i) / Σ_k p_k(t_i),  Σ_j E_j = N,
 * and χ² = Σ (O_j − E_j)²/E_j is compared with χ²_{k−1}. The counts are sums of independent categorical
 * draws with varying probabilities; their variance Σ p_ij(1 − p_ij) is at most the multinomial one, so the
 * χ² reference distribution is conservative (never more false alarms than its threshold).
 *
 * Only the arms given in `arms` (the defined variants and the holdout) count; a user whose first exposure
 * is to another key is left out, as the estimates leave them out.
 */

const rowSchema = z.object({
  arm: z.string(),
  observed: z.coerce.number().int().min(0),
  expected: z.coerce.number().min(0),
});

export type SrmArmCount = z.infer<typeof rowSchema>;

export function srmExpectedSql(database: string): string {
  const events = qualified(database, TABLES.events);
  return `
WITH
exposures AS (
  SELECT user_id, variant_key AS arm, toUnixTimestamp64Milli(ts) AS ms, event_id, assignment_probability AS prob
  FROM ${events}
  WHERE merchant_id = {merchantId:UUID} AND type = 'pitch_exposure' AND experiment_id = {experimentId:UUID}
    AND ts >= fromUnixTimestamp64Milli({startMs:Int64}, 'UTC')
    AND ts < fromUnixTimestamp64Milli({exposureEndMs:Int64}, 'UTC')
),
firsts AS (
  -- The same attribution as the estimates: the arm of the first exposure, ties by event_id.
  SELECT user_id, argMin(arm, (ms, event_id)) AS arm, min(ms) AS first_ms,
    argMin(prob, (ms, event_id)) AS prob
  FROM exposures GROUP BY user_id
  HAVING arm IN {arms:Array(String)}
),
arm_first AS (
  SELECT arm, argMin(prob, first_ms) AS first_prob FROM firsts WHERE prob > 0 GROUP BY arm
),
grid AS (
  SELECT f.user_id AS user_id, f.first_ms AS first_ms, a.arm AS arm, a.first_prob AS first_prob
  FROM firsts AS f CROSS JOIN arm_first AS a
),
in_force AS (
  -- Unmatched rows of an ASOF LEFT JOIN carry the default 0; logged probabilities are > 0.
  SELECT g.user_id AS user_id, g.arm AS arm, if(e.prob > 0, e.prob, g.first_prob) AS p
  FROM grid AS g ASOF LEFT JOIN (SELECT arm, first_ms AS ms, prob FROM firsts WHERE prob > 0) AS e
    ON g.arm = e.arm AND g.first_ms >= e.ms
),
shares AS (
  SELECT arm, p / sum(p) OVER (PARTITION BY user_id) AS share FROM in_force
),
expected AS (
  SELECT arm, sum(share) AS expected FROM shares GROUP BY arm
),
observed AS (
  SELECT arm, count() AS observed FROM firsts GROUP BY arm
)
SELECT x.arm AS arm, x.expected AS expected, o.observed AS observed
FROM expected AS x LEFT JOIN observed AS o ON o.arm = x.arm
ORDER BY arm`;
}

/**
 * Observed and expected users of every arm that logged an exposure. An arm of `arms` that never logged
 * one is absent: the caller decides what its share should have been (see results.ts).
 */
export async function querySrmCounts(
  ch: ClickHouseHandle,
  p: {
    merchantId: string;
    experimentId: string;
    startMs: number;
    exposureEndMs: number;
    arms: readonly string[];
  },
): Promise<SrmArmCount[]> {
  const result = await ch.client.query({
    query: srmExpectedSql(ch.database),
    query_params: { ...p, arms: [...p.arms] },
    format: 'JSONEachRow',
  });
  return z.array(rowSchema).parse(await result.json());
}
