/**
 * Text normalisation for matching what a shopper said against catalog names. Alexa transcribes
 * speech in lower case without punctuation ("fish and chips"), while a catalog says "Fish & Chips":
 * both sides go through the same function so they meet in the middle.
 */

// Words that carry no product identity; "the blue mug" and "blue mug" are the same request.
const STOP_WORDS = new Set(['a', 'an', 'the', 'some', 'of', 'please', 'my', 'me', 'for', 'with', 'and']);

export function normalize(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Singular-ish stem: "mugs" and "mug" should match; a crude rule is enough for token overlap. */
function stem(token: string): string {
  if (token.length > 4 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (token.length > 3 && token.endsWith('es') && /(ch|sh|x|ss)es$/.test(token)) return token.slice(0, -2);
  if (token.length > 3 && token.endsWith('s') && !token.endsWith('ss')) return token.slice(0, -1);
  return token;
}

export function tokens(value: string): string[] {
  const all = normalize(value).split(' ').filter(Boolean);
  const meaningful = all.filter((t) => !STOP_WORDS.has(t));
  // A name made only of stop words ("The And") still has to be matchable.
  return (meaningful.length > 0 ? meaningful : all).map(stem);
}
