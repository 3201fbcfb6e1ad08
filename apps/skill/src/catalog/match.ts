import { normalize, tokens } from './normalize';
import type { CatalogProduct } from './types';

export interface ProductMatch {
  product: CatalogProduct;
  /** 0..1; 1 is an exact (normalised) name or synonym. */
  score: number;
}

/** Below this, overlap is coincidence ("red" alone should not pick "Red Wine Glass Set of Six"). */
export const MIN_MATCH_SCORE = 0.34;

/**
 * Scores one spoken phrase against one catalog phrase: exact normalised equality wins outright,
 * otherwise the overlap of their token sets, weighted towards covering what the shopper said
 * (saying "chips" for "Fish & Chips" is a good match; "large fish and chips combo" less so).
 */
export function phraseScore(spoken: string, candidate: string): number {
  if (normalize(spoken) === normalize(candidate)) return 1;
  const a = new Set(tokens(spoken));
  const b = new Set(tokens(candidate));
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const t of a) if (b.has(t)) common++;
  if (common === 0) return 0;
  const recall = common / a.size;
  const precision = common / b.size;
  // Never reaches 1: only an exact phrase does.
  return 0.99 * (0.6 * recall + 0.4 * precision);
}

/** Best score over a product's name and synonyms. */
export function productScore(spoken: string, product: CatalogProduct): number {
  let best = phraseScore(spoken, product.name);
  for (const synonym of product.synonyms) best = Math.max(best, phraseScore(spoken, synonym));
  return best;
}

/** Every product that matches well enough, best first (ties: featured first, then name). */
export function matchProducts(spoken: string, products: readonly CatalogProduct[]): ProductMatch[] {
  const matches: ProductMatch[] = [];
  for (const product of products) {
    const score = productScore(spoken, product);
    if (score >= MIN_MATCH_SCORE) matches.push({ product, score });
  }
  return matches.sort(
    (x, y) =>
      y.score - x.score ||
      Number(y.product.featured) - Number(x.product.featured) ||
      x.product.name.localeCompare(y.product.name),
  );
}

/** Search is looser than naming a product: a category or description word also finds it. */
export function searchProducts(query: string, products: readonly CatalogProduct[]): ProductMatch[] {
  const byName = matchProducts(query, products);
  const found = new Set(byName.map((m) => m.product.id));
  const queryTokens = new Set(tokens(query));
  const byTopic: ProductMatch[] = [];
  for (const product of products) {
    if (found.has(product.id) || queryTokens.size === 0) continue;
    const topic = new Set([...tokens(product.category), ...tokens(product.description)]);
    let common = 0;
    for (const t of queryTokens) if (topic.has(t)) common++;
    // Ranked after every name match: a name says what the thing is, a description only mentions.
    if (common / queryTokens.size >= 0.5) byTopic.push({ product, score: 0.3 * (common / queryTokens.size) });
  }
  byTopic.sort((x, y) => y.score - x.score || x.product.name.localeCompare(y.product.name));
  return [...byName, ...byTopic];
}

export function matchCategory(spoken: string, categories: readonly string[]): string | undefined {
  let best: { category: string; score: number } | undefined;
  for (const category of categories) {
    const score = phraseScore(spoken, category);
    if (score >= 0.5 && (best === undefined || score > best.score)) best = { category, score };
  }
  return best?.category;
}
