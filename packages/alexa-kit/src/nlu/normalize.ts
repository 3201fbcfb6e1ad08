/**
 * Typed text is messier than Alexa's ASR output (capitals, punctuation, "2" or "two", a polite
 * "please"), so both the input and the model's samples go through the same normalisation.
 */

const LEADING_FILLERS = /^(?:(?:alexa|hey|ok|okay|um+|uh+|so|please|and)\s+)+/;
const TRAILING_FILLERS = /(?:\s+(?:please|thanks|thank you|thank you very much))+$/;

export function normalizeUtterance(input: string): string {
  let text = input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    // "1,000" is one number, not two.
    .replace(/(\d),(?=\d{3}\b)/g, '$1')
    // Keep letters, digits, apostrophes inside words and hyphens only long enough to split on them.
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .replace(/(^|\s)'+|'+(?=\s|$)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  // Only strip fillers when something is left: "please" alone is still something the shopper said.
  const stripped = text.replace(LEADING_FILLERS, '').replace(TRAILING_FILLERS, '').trim();
  if (stripped !== '') text = stripped;
  return text;
}

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

/** Words that can be part of a spoken number, for building slot patterns. */
export const NUMBER_WORDS = [
  ...Object.keys(UNITS),
  ...Object.keys(TENS),
  'hundred',
  'thousand',
  'dozen',
  'a',
];

/**
 * "2" → 2, "twenty five" → 25, "one hundred and five" → 105, "a dozen" → 12. Returns null for
 * anything that is not one well-formed cardinal ("two three", "and", "a"), as AMAZON.NUMBER would
 * not fill the slot with it.
 */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const words = t.split(/\s+/);
  let total = 0;
  let current = 0;
  // What the previous word was, to reject sequences no one says ("two three", "twenty thirty").
  let last: 'start' | 'unit' | 'tens' | 'hundred' | 'thousand' | 'and' | 'a' = 'start';
  let sawNumber = false;
  for (const word of words) {
    const unit = UNITS[word];
    const tens = TENS[word];
    if (unit !== undefined) {
      if (last === 'unit' || (last === 'tens' && unit >= 10) || last === 'a') return null;
      current += unit;
      last = 'unit';
      sawNumber = true;
    } else if (tens !== undefined) {
      if (last === 'unit' || last === 'tens' || last === 'a') return null;
      current += tens;
      last = 'tens';
      sawNumber = true;
    } else if (word === 'hundred') {
      if (last === 'hundred' || last === 'and') return null;
      current = (current === 0 ? 1 : current) * 100;
      last = 'hundred';
      sawNumber = true;
    } else if (word === 'thousand') {
      if (last === 'thousand' || last === 'and') return null;
      total += (current === 0 ? 1 : current) * 1000;
      current = 0;
      last = 'thousand';
      sawNumber = true;
    } else if (word === 'dozen') {
      if (last !== 'a' && last !== 'unit' && last !== 'tens') return null;
      current = (current === 0 ? 1 : current) * 12;
      last = 'hundred';
      sawNumber = true;
    } else if (word === 'and') {
      if (last !== 'hundred' && last !== 'thousand') return null;
      last = 'and';
    } else if (word === 'a') {
      if (last !== 'start') return null;
      last = 'a';
    } else return null;
  }
  if (!sawNumber || last === 'and' || last === 'a') return null;
  return total + current;
}
