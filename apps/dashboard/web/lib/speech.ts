/*
 * Speech as a reader sees it: the words of an SSML string, tags removed, entities decoded, a <break>
 * as a pause ("…"). Pure string work (no DOM parser), so it runs in tests and never executes markup.
 */

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: '\u2019',
  nbsp: ' ',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    const named = NAMED[body.toLowerCase()];
    return named ?? whole;
  });
}

export function speechText(ssml: string | null | undefined): string {
  if (!ssml) return '';
  const text = ssml
    // A pause reads as an ellipsis; an apostrophe typed as ' stays one.
    .replace(/<break\b[^>]*\/?>/gi, ' … ')
    .replace(/<\/?(p|s)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    // The words only after the tags are gone, so a decoded "&lt;" cannot become a tag.
    .replace(/\s+/g, ' ');
  return decodeEntities(text)
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/(…\s*)+/g, '… ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^…\s*/, '')
    .replace(/\s*…$/, '…');
}
