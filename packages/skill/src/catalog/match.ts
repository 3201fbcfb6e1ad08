import { normalize, tokens } from './normalize';
import type { CatalogProduct } from './types';

export interface ProductMatch {
  product: CatalogProduct;
  /** 0..1; 1 is an exact (normalised) name or synonym. */
  score: number;
}

/** Below this, overlap is coincidence ("red" alone should not pick "Red Wine Glass Set of Six"). */
export const MIN_MATCH_SCORE = 0.34;

interface Phrase {
  norm: string;
  tokens: ReadonlySet<string>;
}

interface IndexedProduct {
  product: CatalogProduct;
  phrases: Phrase[];
  topic: ReadonlySet<string>;
}

function phrase(value: string): Phrase {
  return { norm: normalize(value), tokens: new Set(tokens(value)) };
}

/**
 * Normalising every name and synonym is the expensive part of matching (Unicode regexes over a
 * whole catalog); the index is built once per catalog snapshot. The catalog cache hands out the
 * same products array until the catalog changes, so the WeakMap hits across requests.
 */
const indexes = new WeakMap<readonly CatalogProduct[], IndexedProduct[]>();

function indexOf(products: readonly CatalogProduct[]): IndexedProduct[] {
  let index = indexes.get(products);
  if (!index) {
    index = products.map((product) => ({
      product,
      phrases: [product.name, ...product.synonyms].map(phrase),
      topic: new Set([...tokens(product.category), ...tokens(product.description)]),
    }));
    indexes.set(products, index);
  }
  return index;
}

/**
 * Scores a spoken phrase against a catalog phrase: exact normalised equality wins outright,
 * otherwise the overlap of their token sets, weighted towards covering what the shopper said
 * (saying "chips" for "Fish & Chips" is a good match; "large fish and chips combo" less so).
 */
function score(spoken: Phrase, candidate: Phrase): number {
  if (spoken.norm === candidate.norm) return 1;
  if (spoken.tokens.size === 0 || candidate.tokens.size === 0) return 0;
  let common = 0;
  for (const t of spoken.tokens) if (candidate.tokens.has(t)) common++;
  if (common === 0) return 0;
  const recall = common / spoken.tokens.size;
  const precision = common / candidate.tokens.size;
  // Never reaches 1: only an exact phrase does.
  return 0.99 * (0.6 * recall + 0.4 * precision);
}

export function phraseScore(spoken: string, candidate: string): number {
  return score(phrase(spoken), phrase(candidate));
}

/** Every product that matches well enough, best first (ties: featured first, then name). */
export function matchProducts(spoken: string, products: readonly CatalogProduct[]): ProductMatch[] {
  const said = phrase(spoken);
  const matches: ProductMatch[] = [];
  for (const entry of indexOf(products)) {
    let best = 0;
    for (const p of entry.phrases) best = Math.max(best, score(said, p));
    if (best >= MIN_MATCH_SCORE) matches.push({ product: entry.product, score: best });
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
  const queryTokens = phrase(query).tokens;
  const byTopic: ProductMatch[] = [];
  if (queryTokens.size > 0) {
    for (const entry of indexOf(products)) {
      if (found.has(entry.product.id)) continue;
      let common = 0;
      for (const t of queryTokens) if (entry.topic.has(t)) common++;
      // Ranked after every name match: a name says what the thing is, a description only mentions.
      if (common / queryTokens.size >= 0.5)
        byTopic.push({ product: entry.product, score: 0.3 * (common / queryTokens.size) });
    }
  }
  byTopic.sort((x, y) => y.score - x.score || x.product.name.localeCompare(y.product.name));
  return [...byName, ...byTopic];
}

export function matchCategory(spoken: string, categories: readonly string[]): string | undefined {
  const said = phrase(spoken);
  let best: { category: string; score: number } | undefined;
  for (const category of categories) {
    const s = score(said, phrase(category));
    if (s >= 0.5 && (best === undefined || s > best.score)) best = { category, score: s };
  }
  return best?.category;
}
