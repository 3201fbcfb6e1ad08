import type { VariantLookStats } from '../variant-stats.query';

/** One simulated exposed user: the probability logged with their first exposure and their outcomes. */
export interface SimUser {
  p: number;
  conv?: number;
  cart?: number;
  rev?: number;
  stopped?: number;
  turns?: number;
  fallbacks?: number;
  paid?: number;
  refunded?: number;
  /** Pre-exposure revenue (the CUPED covariate); 0 = no history. */
  pre?: number;
}

const OUTCOMES = ['conv', 'cart', 'rev', 'stopped'] as const;

/**
 * The sums variant-stats.query computes for one arm, accumulated user by user, so simulations feed
 * analyseExperiment exactly what ClickHouse would (w = 1/p). snapshot() gives the arm as of a look.
 */
export class ArmAccumulator {
  private n = 0;
  private sw = 0;
  private sw2 = 0;
  private pMin = Number.NaN;
  private pMax = Number.NaN;
  private pLast = Number.NaN;
  private readonly y = Object.fromEntries(
    OUTCOMES.map((k) => [k, { s: 0, ss: 0, sw: 0, sw2: 0, sw2y2: 0 }]),
  ) as Record<(typeof OUTCOMES)[number], { s: number; ss: number; sw: number; sw2: number; sw2y2: number }>;
  private readonly fallback = { sx: 0, sxx: 0, sd: 0, sdd: 0, sxd: 0 };
  private readonly refund = { sx: 0, sxx: 0, sd: 0, sdd: 0, sxd: 0 };
  private readonly pre = { s: 0, ss: 0, sxy: 0, nHistory: 0 };
  private revenue = 0;

  constructor(readonly variant: string) {}

  add(u: SimUser): void {
    const w = 1 / u.p;
    this.n += 1;
    this.sw += w;
    this.sw2 += w * w;
    this.pMin = Number.isNaN(this.pMin) ? u.p : Math.min(this.pMin, u.p);
    this.pMax = Number.isNaN(this.pMax) ? u.p : Math.max(this.pMax, u.p);
    this.pLast = u.p;
    for (const k of OUTCOMES) {
      const v = u[k] ?? 0;
      const m = this.y[k];
      m.s += v;
      m.ss += v * v;
      m.sw += w * v;
      m.sw2 += w * w * v;
      m.sw2y2 += w * w * v * v;
    }
    const ratio = (r: typeof this.fallback, x: number, d: number) => {
      r.sx += x;
      r.sxx += x * x;
      r.sd += d;
      r.sdd += d * d;
      r.sxd += x * d;
    };
    ratio(this.fallback, u.fallbacks ?? 0, u.turns ?? 0);
    ratio(this.refund, u.refunded ?? 0, u.paid ?? 0);
    const x = u.pre ?? 0;
    const rev = u.rev ?? 0;
    this.pre.s += x;
    this.pre.ss += x * x;
    this.pre.sxy += x * rev;
    if (x > 0) this.pre.nHistory += 1;
    this.revenue += rev;
  }

  snapshot(look: number): VariantLookStats {
    const copy = <T extends object>(o: T): T => ({ ...o });
    return {
      look,
      variant: this.variant,
      n: this.n,
      sw: this.sw,
      sw2: this.sw2,
      probability: { min: this.pMin, max: this.pMax, last: this.pLast },
      outcomes: {
        conv: copy(this.y.conv),
        cart: copy(this.y.cart),
        rev: copy(this.y.rev),
        stopped: copy(this.y.stopped),
      },
      ratios: { fallback: copy(this.fallback), refund: copy(this.refund) },
      pre: copy(this.pre),
      revenue: this.revenue,
    };
  }
}
