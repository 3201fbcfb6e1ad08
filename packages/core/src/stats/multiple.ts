import { requireAlpha, requireProbability } from './validate';
/**
 * Multiple-comparison adjustments over variants × metrics; adjusted p-values come back in input order.
 */

/**
 * The one rejection rule, for raw and adjusted p-values alike: H0 is rejected when p ≤ α. Holm (1979)
 * and statsmodels' multipletests reject at equality; `p < α` would keep an adjusted p-value that lands
 * exactly on α (e.g. Holm's 2 × 0.025) and disagree with them.
 */
export function significantAt(p: number, alpha: number): boolean {
  requireProbability('p', p);
  requireAlpha(alpha);
  return p <= alpha;
}

/**
 * Holm's step-down (Holm 1979), controls the family-wise error rate under any dependence:
 * sort p ascending, p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j)). (statsmodels multipletests 'holm')
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = sortedIndices(pValues);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[idx] as number)));
    out[idx] = running;
  });
  return out;
}

/**
 * Benjamini–Hochberg step-up (Benjamini & Hochberg 1995), controls the false discovery rate for
 * independent or positively dependent tests: p̃_(i) = min_{j ≥ i} min(1, m p_(j) / j).
 * (statsmodels multipletests 'fdr_bh')
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = sortedIndices(pValues);
  const out = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const idx = order[rank] as number;
    // m/(rank+1) ≥ 1 first, so rounding can never push the adjusted p below the raw one.
    running = Math.min(running, (m / (rank + 1)) * (pValues[idx] as number));
    out[idx] = running;
  }
  return out;
}

function sortedIndices(values: readonly number[]): number[] {
  values.forEach((p, i) => {
    requireProbability(`pValues[${i}]`, p);
  });
  return values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
}
