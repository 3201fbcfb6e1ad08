import { type Ssml, text } from '@pitchline/core';
import type { HandlerInput } from 'ask-sdk-core';
import type { Response } from 'ask-sdk-model';
import type { ProductLookup } from './intent';
import { ORDINAL_WORDS } from './reference';
import { ask } from './respond';
import { plural } from './speech';

const WHICH = text('Which product do you mean? You can say its name.');

/** "the first, the second or the third one" for a list of three; a number range past ten. */
function choices(size: number): Ssml {
  if (size === 1) return text('You can say the first one, or a product name.');
  if (size > ORDINAL_WORDS.length) return text(`Say a number from one to ${size}, or a product name.`);
  const words = ORDINAL_WORDS.slice(0, size).map((w) => `the ${w}`);
  const list = `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]} one`;
  return text(`You can say ${list}, or a product name.`);
}

/**
 * The answer when a reference points at nothing: a question that moves the shopper on, never
 * "we don't have …" (nothing was looked up).
 */
export function askWhichProduct(
  input: HandlerInput,
  lookup: Extract<ProductLookup, { kind: 'unclear' | 'out_of_range' }>,
): Response {
  if (lookup.kind === 'out_of_range') {
    const ordinal = ORDINAL_WORDS[lookup.position - 1] ?? `number ${lookup.position}`;
    return ask(
      input,
      text(
        `That list had only ${lookup.size} ${plural(lookup.size, 'item', 'items')}, so there's no ${ordinal} one.`,
      ),
      choices(lookup.size),
    );
  }
  const why =
    lookup.why === 'no_list'
      ? text("I haven't read you a list just now.")
      : lookup.why === 'gone'
        ? text("Sorry, that one isn't available any more.")
        : lookup.why === 'several'
          ? text("Let's take them one at a time.")
          : text('');
  return ask(input, why, WHICH);
}
