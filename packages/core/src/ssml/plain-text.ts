import { UNSPEAKABLE } from './escape';
import { tokenizeSsml } from './tokenizer';

/**
 * What a card or transcript shows for some SSML: tags dropped, <sub> shown as written (the alias is
 * only how it sounds), paragraphs and breaks as spaces, entities decoded, whitespace collapsed.
 * Lenient on purpose: a transcript of broken SSML is still useful.
 */
export function ssmlToPlainText(ssml: string): string {
  const { tokens } = tokenizeSsml(ssml);
  let out = '';
  for (const token of tokens) {
    if (token.kind === 'text') out += token.value;
    else if (['p', 's', 'break', 'speak', 'amazon:breath'].includes(token.name)) out += ' ';
  }
  return out
    .replace(UNSPEAKABLE, '')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,!?;:])/g, '$1')
    .trim();
}
