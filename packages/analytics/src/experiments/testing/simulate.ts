import { HOLDOUT_VARIANT_KEY, newEventId, type PitchlineEvent } from '@pitchline/core';

/** Deterministic PRNG (mulberry32): a failing simulation test must replay exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimVariant {
  key: string;
  weight: number;
  /** The true per-user probabilities and mean order value of this variant. */
  pConvert: number;
  pCart?: number;
  pStop?: number;
  pFallback?: number;
  pRefund?: number;
  meanOrder?: number;
}

export interface SimOptions {
  merchantId: string;
  experimentId: string;
  experimentKey: string;
  variants: SimVariant[];
  users: number;
  startMs: number;
  /** Users arrive uniformly over this many days. */
  days: number;
  seed: number;
  /** Share of each variant's users whose exposures are lost (an SRM bug), e.g. { b: 0.1 }. */
  dropUsers?: Record<string, number>;
  /** Share of users who paid before the experiment (CUPED covariate). */
  historyShare?: number;
  userPrefix?: string;
  /** Share of users who hear the pitch again in a second session two days later. Default 0.1. */
  repeatShare?: number;
  /**
   * Traffic shifts (bandit mode): from `fromDay` on, assignment uses these weights (logged as the
   * assignment probability) and every variant's conversion probability is multiplied by `convertMultiplier`.
   */
  phases?: { fromDay: number; weights: Record<string, number>; convertMultiplier?: number }[];
  /**
   * A holdout: this share of users is recorded as variant `holdout` (logged probability = share) and
   * converts with `pConvert`; the variants' logged probabilities are then (1 − share) × their split.
   */
  holdout?: { share: number; pConvert: number };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Synthetic shoppers with a KNOWN truth: each user is assigned by weight, hears the pitch once in a first
 * session (some hear it again two days later), reacts (stop / fallback / carry on), and converts, carts
 * and refunds with the variant's true probabilities. Events follow the skill's recording order.
 */
export function simulateExperiment(o: SimOptions): PitchlineEvent[] {
  const rand = seededRandom(o.seed);
  const events: PitchlineEvent[] = [];
  for (let i = 0; i < o.users; i++) {
    const t0 = o.startMs + Math.floor(rand() * o.days * DAY);
    const phase = o.phases?.filter((ph) => t0 >= o.startMs + ph.fromDay * DAY).at(-1);
    const weights = o.variants.map((v) => phase?.weights[v.key] ?? v.weight);
    const weightSum = weights.reduce((a, b) => a + b, 0);
    const variantIndex = pickIndex(weights, rand() * weightSum);
    // Drawn only when there is a holdout, so the streams of experiments without one stay as they were.
    const heldOut = o.holdout !== undefined && rand() < o.holdout.share;
    const kept = 1 - (o.holdout?.share ?? 0);
    const variant: SimVariant =
      heldOut && o.holdout
        ? { key: HOLDOUT_VARIANT_KEY, weight: 0, pConvert: o.holdout.pConvert }
        : (o.variants[variantIndex] as SimVariant);
    const probability =
      heldOut && o.holdout ? o.holdout.share : (kept * (weights[variantIndex] as number)) / weightSum;
    const convertMultiplier = phase?.convertMultiplier ?? 1;
    const user = `${o.userPrefix ?? 'u'}${i}`;
    const drop = rand() < (o.dropUsers?.[variant.key] ?? 0);
    const base = (session: string) => ({
      merchant_id: o.merchantId,
      skill_id: 'skill-1',
      user_id: user,
      session_id: session,
    });
    const meanOrder = variant.meanOrder ?? 3000;
    const history = rand() < (o.historyShare ?? 0);
    // Buyers with history spend more: the correlation CUPED exploits.
    const propensity = history ? 1.5 : 1;
    if (history) {
      events.push(payment(base(`${user}-h`), t0 - 5 * DAY, Math.round(meanOrder * (0.5 + rand()))));
    }
    const s1 = `${user}-s1`;
    if (!drop) events.push(exposure(base(s1), t0 + 1, o, variant.key, probability));
    events.push(turn(base(s1), t0 + 3, 'ProductDetailsIntent', false));
    const reaction = rand();
    const pStop = variant.pStop ?? 0.1;
    const pFallback = variant.pFallback ?? 0.05;
    if (reaction < pStop) {
      events.push(turn(base(s1), t0 + 8000, 'AMAZON.StopIntent', true));
      events.push({
        ...base(s1),
        event_id: newEventId(),
        ts: t0 + 8000,
        type: 'session_end',
        reason: 'user_stop',
      });
    } else {
      events.push(
        turn(
          base(s1),
          t0 + 8000,
          reaction < pStop + pFallback ? 'AMAZON.FallbackIntent' : 'NextIntent',
          false,
        ),
      );
    }
    if (rand() < (o.repeatShare ?? 0.1)) {
      const s2 = `${user}-s2`;
      const t1 = t0 + 2 * DAY;
      if (!drop) events.push(exposure(base(s2), t1, o, variant.key, probability));
      events.push(turn(base(s2), t1 + 2, 'ProductDetailsIntent', false));
      events.push(
        turn(base(s2), t1 + 9000, rand() < pFallback ? 'AMAZON.FallbackIntent' : 'NextIntent', false),
      );
    }
    if (rand() < (variant.pCart ?? 0.2)) {
      events.push({
        ...base(s1),
        event_id: newEventId(),
        ts: t0 + 15_000,
        type: 'cart_add',
        product_id: PRODUCT,
        quantity: 1,
        unit_amount: meanOrder,
        currency: 'USD',
      });
    }
    if (rand() < Math.min(1, variant.pConvert * convertMultiplier * (history ? 1.3 : 1))) {
      const amount = Math.max(100, Math.round(meanOrder * propensity * (0.5 + rand())));
      const paid = payment(base(s1), t0 + 2 * MINUTE + Math.floor(rand() * 6 * HOUR), amount);
      events.push(paid);
      if (rand() < (variant.pRefund ?? 0.02)) {
        events.push({
          ...base(s1),
          event_id: newEventId(),
          ts: paid.ts + 3 * HOUR,
          type: 'refund',
          order_id: paid.order_id,
          amount,
          currency: 'USD',
          variants: [],
        });
      }
    }
  }
  return events;
}

function pickIndex(weights: number[], point: number): number {
  let rest = point;
  for (let i = 0; i < weights.length; i++) {
    rest -= weights[i] as number;
    if (rest < 0) return i;
  }
  return weights.length - 1;
}

const PRODUCT = '0190a000-0000-7000-8000-000000000001';

type Base = { merchant_id: string; skill_id: string; user_id: string; session_id: string };

export function exposure(
  base: Base,
  ts: number,
  o: { experimentId: string; experimentKey: string },
  variant: string,
  probability: number,
): PitchlineEvent {
  return {
    ...base,
    event_id: newEventId(),
    ts,
    type: 'pitch_exposure',
    experiment_id: o.experimentId,
    experiment_key: o.experimentKey,
    variant_key: variant,
    assignment_probability: probability,
    product_id: PRODUCT,
  };
}

export function turn(base: Base, ts: number, intent: string, end: boolean): PitchlineEvent {
  return {
    ...base,
    event_id: newEventId(),
    ts,
    type: 'turn',
    locale: 'en-US',
    has_screen: false,
    request_id: newEventId(),
    request_type: 'IntentRequest',
    intent,
    slots: [],
    response_ssml: '<speak>ok</speak>',
    should_end_session: end,
    latency_ms: 20,
  };
}

export function payment(
  base: Base,
  ts: number,
  amount: number,
): Extract<PitchlineEvent, { type: 'payment_succeeded' }> {
  return {
    ...base,
    event_id: newEventId(),
    ts,
    type: 'payment_succeeded',
    order_id: newEventId(),
    amount,
    currency: 'USD',
    variants: [],
  };
}
