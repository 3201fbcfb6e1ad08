import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';

/**
 * Per-user outcomes of an experiment, reduced in ClickHouse to sufficient statistics per (look, variant):
 * counts, sums and sums of squares (plus the inverse-propensity-weighted sums bandit mode needs), so the
 * TypeScript side never holds per-user rows.
 *
 * Attribution: a user belongs to the variant of their FIRST exposure to this experiment; their outcomes
 * count only inside [first exposure, first exposure + conversion window] and up to the look's cutoff.
 * Each look is a cutoff instant (one per day since the start, the last one is "now"), so the same query
 * gives the final numbers, the daily cumulative series and the looks of the sequential test.
 */

/** Per-user outcome columns summarised per look; `w` is 1 / assignment probability. */
const OUTCOMES = ['conv', 'cart', 'rev', 'stopped'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Ratio metrics: numerator / denominator per user, aggregated with the delta method. */
const RATIOS = {
  fallback: ['fallback_n', 'turns_n'],
  refund: ['refunded_n', 'paid_n'],
} as const;
export type RatioName = keyof typeof RATIOS;

function aggregateColumns(): string[] {
  const cols = [
    'count() AS n',
    'sum(w) AS sw',
    'sum(w * w) AS sw2',
    'min(prob) AS p_min',
    'max(prob) AS p_max',
    'argMax(prob, first_ms) AS p_last',
  ];
  for (const y of OUTCOMES) {
    cols.push(
      `sum(${y}) AS s_${y}`,
      `sum(${y} * ${y}) AS ss_${y}`,
      `sum(w * ${y}) AS sw_${y}`,
      `sum(w * w * ${y}) AS sw2_${y}`,
      `sum(w * w * ${y} * ${y}) AS sw2_${y}2`,
    );
  }
  for (const [name, [num, den]] of Object.entries(RATIOS)) {
    cols.push(
      `sum(${num}) AS s_${name}_num`,
      `sum(${num} * ${num}) AS ss_${name}_num`,
      `sum(${den}) AS s_${name}_den`,
      `sum(${den} * ${den}) AS ss_${name}_den`,
      `sum(${num} * ${den}) AS s_${name}_cross`,
    );
  }
  cols.push(
    'sum(pre) AS s_pre',
    'sum(pre * pre) AS ss_pre',
    'sum(pre * rev) AS s_pre_rev',
    'countIf(pre > 0) AS n_history',
  );
  cols.push('sum(rev_uncapped) AS s_rev_uncapped');
  return cols;
}

const STOP_INTENTS = `('AMAZON.StopIntent', 'AMAZON.CancelIntent')`;

/**
 * The SQL. Only fixed fragments are spliced (the database name is a checked identifier, the column list is
 * built from constants above); every value is a server-side query parameter.
 */
export function variantStatsSql(database: string, withRevenueCap: boolean): string {
  const events = qualified(database, TABLES.events);
  const tenant = `merchant_id = {merchantId:UUID}`;
  const revenueExpr =
    'toFloat64(arraySum(arrayMap(p -> if(p.1 < cutoff, p.2, 0), paid)) - arraySum(arrayMap(r -> if(r.1 < cutoff, r.2, 0), refunds)))';
  return `
WITH
exposed AS (
  -- (ts, event_id) breaks ties between exposures in the same millisecond deterministically.
  SELECT user_id,
    argMin(variant_key, (ts, event_id)) AS variant,
    toUnixTimestamp64Milli(min(ts)) AS first_ms,
    argMin(assignment_probability, (ts, event_id)) AS prob
  FROM ${events}
  WHERE ${tenant} AND type = 'pitch_exposure' AND experiment_id = {experimentId:UUID}
    AND ts >= fromUnixTimestamp64Milli({startMs:Int64}, 'UTC')
    AND ts < fromUnixTimestamp64Milli({exposureEndMs:Int64}, 'UTC')
  GROUP BY user_id
),
outcome_events AS (
  SELECT e.user_id AS user_id, toUnixTimestamp64Milli(e.ts) AS ms, e.type AS type, e.amount AS amount,
    e.order_id AS order_id, x.first_ms AS first_ms,
    ms >= x.first_ms AND ms <= x.first_ms + {windowMs:Int64} AS in_window
  FROM ${events} AS e INNER JOIN exposed AS x ON e.user_id = x.user_id
  WHERE e.${tenant} AND e.type IN ('payment_succeeded', 'refund', 'cart_add')
    AND e.ts >= fromUnixTimestamp64Milli({startMs:Int64} - {preMs:Int64}, 'UTC')
    AND e.ts <= fromUnixTimestamp64Milli({nowMs:Int64}, 'UTC')
),
outcomes AS (
  SELECT user_id,
    minIf(ms, type = 'payment_succeeded' AND in_window) AS conv_ms,
    minIf(ms, type = 'cart_add' AND in_window) AS cart_ms,
    groupArrayIf((ms, amount, order_id), type = 'payment_succeeded' AND in_window) AS paid_all,
    groupArrayIf((ms, amount, order_id), type = 'refund' AND in_window) AS refunds_all,
    -- Only refunds of orders paid inside the window belong to this exposure.
    arrayFilter(r -> has(arrayMap(p -> p.3, paid_all), r.3), refunds_all) AS refunds_own,
    sumIf(amount, type = 'payment_succeeded' AND ms < first_ms AND ms >= first_ms - {preMs:Int64}) AS pre_revenue
  FROM outcome_events
  GROUP BY user_id
),
session_events AS (
  SELECT e.user_id AS user_id, e.session_id AS session_id, toUnixTimestamp64Milli(e.ts) AS ms,
    e.type AS type, e.intent AS intent, e.reason AS reason, x.first_ms AS first_ms,
    -- Inside one request the exposure is recorded before its turn, and session_end after it.
    multiIf(e.type = 'pitch_exposure', 0, e.type = 'turn', 1, 2) AS rank
  FROM ${events} AS e INNER JOIN exposed AS x ON e.user_id = x.user_id
  WHERE e.${tenant}
    AND ((e.type = 'pitch_exposure' AND e.experiment_id = {experimentId:UUID}) OR e.type IN ('turn', 'session_end'))
    AND e.ts >= fromUnixTimestamp64Milli({startMs:Int64}, 'UTC')
    AND e.ts <= fromUnixTimestamp64Milli({nowMs:Int64}, 'UTC')
    AND ms >= x.first_ms AND ms <= x.first_ms + {windowMs:Int64}
),
numbered AS (
  -- turn_no counts the session's turns up to this row: an exposure before turn k+1 has turn_no = k, so its
  -- pitch is spoken by turn k+1 and the shopper's reaction to it is turn k+2. session_end shares its turn's number.
  SELECT *, sum(type = 'turn') OVER (PARTITION BY user_id, session_id ORDER BY ms, rank
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS turn_no
  FROM session_events
),
sessions AS (
  SELECT user_id,
    groupArrayIf(turn_no + 2, type = 'pitch_exposure') AS reactions,
    groupArrayIf((turn_no, ms),
      (type = 'turn' AND intent IN ${STOP_INTENTS}) OR (type = 'session_end' AND reason = 'user_stop')) AS stop_marks,
    arrayMin(arrayMap(s -> s.2, arrayFilter(s -> has(reactions, s.1), stop_marks))) AS session_stop_ms,
    -- Turns from the first reaction on: the turn that spoke the pitch answered a request made before it.
    groupArrayIf((ms, intent = 'AMAZON.FallbackIntent', turn_no), type = 'turn') AS session_turns,
    arrayFilter(t -> t.3 >= arrayMin(reactions), session_turns) AS turns
  FROM numbered
  GROUP BY user_id, session_id
),
session_users AS (
  SELECT user_id, minIf(session_stop_ms, session_stop_ms > 0) AS stop_ms, arrayFlatten(groupArray(turns)) AS turns
  FROM sessions
  GROUP BY user_id
),
per_user AS (
  SELECT x.variant AS variant, x.first_ms AS first_ms, x.prob AS prob,
    o.conv_ms AS conv_ms, o.cart_ms AS cart_ms, o.paid_all AS paid, o.refunds_own AS refunds,
    o.pre_revenue AS pre_revenue, s.stop_ms AS stop_ms, s.turns AS turns,
    toFloat64(arraySum(arrayMap(p -> p.2, o.paid_all)) - arraySum(arrayMap(r -> r.2, o.refunds_own))) AS rev_final
  FROM exposed AS x
  LEFT JOIN outcomes AS o ON o.user_id = x.user_id
  LEFT JOIN session_users AS s ON s.user_id = x.user_id
)${
    withRevenueCap
      ? `,
cap AS (
  SELECT if(count() = 0, inf, quantileExact({capQuantile:Float64})(rev_final)) AS cap FROM per_user WHERE rev_final > 0
)`
      : ''
  },
looked AS (
  SELECT variant, look, first_ms, prob, 1 / prob AS w,
    toFloat64(conv_ms > 0 AND conv_ms < cutoff) AS conv,
    toFloat64(cart_ms > 0 AND cart_ms < cutoff) AS cart,
    ${
      // A scalar subquery is Nullable: without ifNull every sum of rev is Nullable too, and a sum over no
      // rows (sumIf of users with history when none has any) comes back NULL instead of 0.
      withRevenueCap ? `least(${revenueExpr}, ifNull((SELECT cap FROM cap), inf))` : revenueExpr
    } AS rev,
    toFloat64(stop_ms > 0 AND stop_ms < cutoff) AS stopped,
    toFloat64(arrayCount(t -> t.1 < cutoff, turns)) AS turns_n,
    toFloat64(arrayCount(t -> t.1 < cutoff AND t.2, turns)) AS fallback_n,
    toFloat64(length(arrayDistinct(arrayMap(p -> p.3, arrayFilter(p -> p.1 < cutoff, paid))))) AS paid_n,
    toFloat64(length(arrayDistinct(arrayMap(r -> r.3, arrayFilter(r -> r.1 < cutoff, refunds))))) AS refunded_n,
    toFloat64(pre_revenue) AS pre,
    ${revenueExpr} AS rev_uncapped
  FROM per_user
  ARRAY JOIN {cutoffs:Array(Int64)} AS cutoff, arrayEnumerate({cutoffs:Array(Int64)}) AS look
  WHERE first_ms < cutoff
)
SELECT look, variant, ${aggregateColumns().join(',\n  ')}
FROM looked
GROUP BY look, variant
ORDER BY look, variant`;
}

const num = z.coerce.number();

const momentsSchema = z.object({ s: num, ss: num, sw: num, sw2: num, sw2y2: num });

const rowSchema = z.record(z.string(), z.union([z.string(), z.number()]));

/** Sums of one per-user outcome y over a variant's users (w = 1 / assignment probability). */
export interface Moments {
  /** Σy */ s: number;
  /** Σy² */ ss: number;
  /** Σwy */ sw: number;
  /** Σw²y */ sw2: number;
  /** Σw²y² */ sw2y2: number;
}

/** Sums of a per-user ratio numerator x and denominator d. */
export interface RatioMoments {
  sx: number;
  sxx: number;
  sd: number;
  sdd: number;
  sxd: number;
}

export interface VariantLookStats {
  look: number;
  variant: string;
  /** Exposed users (first exposure before the cutoff). */
  n: number;
  /** Σw and Σw² over users. */
  sw: number;
  sw2: number;
  /**
   * The assignment probabilities logged with the users' first exposures: smallest, largest and the
   * latest. min < max means the arm's share changed during the run (an edit or a bandit reallocation).
   */
  probability: { min: number; max: number; last: number };
  outcomes: Record<Outcome, Moments>;
  ratios: Record<RatioName, RatioMoments>;
  /**
   * Pre-exposure revenue x (0 for users who paid nothing before, an observed value) with the (possibly
   * capped) revenue y, over all users: Σx, Σx², Σxy; and how many users paid something (x > 0), which
   * decides whether the covariate carries enough information to use.
   */
  pre: { s: number; ss: number; sxy: number; nHistory: number };
  /** Net revenue in minor units before any capping: what the variant actually took. */
  revenue: number;
}

function parseRow(raw: unknown): VariantLookStats {
  const r = rowSchema.parse(raw);
  const get = (k: string): number => num.parse(r[k]);
  const outcomes = Object.fromEntries(
    OUTCOMES.map((y) => [
      y,
      momentsSchema.parse({
        s: r[`s_${y}`],
        ss: r[`ss_${y}`],
        sw: r[`sw_${y}`],
        sw2: r[`sw2_${y}`],
        sw2y2: r[`sw2_${y}2`],
      }),
    ]),
  ) as Record<Outcome, Moments>;
  const ratios = Object.fromEntries(
    Object.keys(RATIOS).map((name) => [
      name,
      {
        sx: get(`s_${name}_num`),
        sxx: get(`ss_${name}_num`),
        sd: get(`s_${name}_den`),
        sdd: get(`ss_${name}_den`),
        sxd: get(`s_${name}_cross`),
      },
    ]),
  ) as Record<RatioName, RatioMoments>;
  return {
    look: get('look'),
    variant: z.string().parse(r.variant),
    n: get('n'),
    sw: get('sw'),
    sw2: get('sw2'),
    probability: { min: get('p_min'), max: get('p_max'), last: get('p_last') },
    outcomes,
    ratios,
    pre: {
      s: get('s_pre'),
      ss: get('ss_pre'),
      sxy: get('s_pre_rev'),
      nHistory: get('n_history'),
    },
    revenue: get('s_rev_uncapped'),
  };
}

export interface VariantStatsParams {
  merchantId: string;
  experimentId: string;
  startMs: number;
  /** Exposures from here on are ignored (the stop time, or now). */
  exposureEndMs: number;
  nowMs: number;
  windowMs: number;
  preMs: number;
  /** Look cutoffs in ms, ascending; the last is the "now" of the results. */
  cutoffs: number[];
  revenueCapQuantile?: number;
}

export async function queryVariantStats(
  ch: ClickHouseHandle,
  p: VariantStatsParams,
): Promise<VariantLookStats[]> {
  const withCap = p.revenueCapQuantile !== undefined;
  const result = await ch.client.query({
    query: variantStatsSql(ch.database, withCap),
    query_params: {
      merchantId: p.merchantId,
      experimentId: p.experimentId,
      startMs: p.startMs,
      exposureEndMs: p.exposureEndMs,
      nowMs: p.nowMs,
      windowMs: p.windowMs,
      preMs: p.preMs,
      cutoffs: p.cutoffs,
      ...(withCap ? { capQuantile: p.revenueCapQuantile } : {}),
    },
    format: 'JSONEachRow',
  });
  return (await result.json<unknown>()).map(parseRow);
}
