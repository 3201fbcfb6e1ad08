import { text } from '@pitchline/core';
import { parseQuantity } from '../cart';
import { addProduct } from '../cart-actions';
import type { DialogHandler } from '../handler';
import { lookupProduct, slotOf } from '../intent';
import { speakListing } from '../listing';
import { askWhichProduct } from '../reference-reply';
import { ask } from '../respond';
import { MAX_LINE_QUANTITY } from '../session';
import { clip } from '../speech';

export const addToCartHandler: DialogHandler = {
  name: 'AddToCart',
  intents: ['AddToCartIntent'],
  async handle(input, turn) {
    const catalog = await turn.catalog();
    const found = lookupProduct(input, turn, catalog);
    if (found.kind === 'no_match') {
      return ask(
        input,
        text(`Sorry, we don't have ${clip(found.said, 100)}.`),
        text('What else can I find for you?'),
      );
    }
    if (found.kind === 'missing') return ask(input, text(''), text('Which product would you like to add?'));
    if (found.kind === 'unclear' || found.kind === 'out_of_range') return askWhichProduct(input, found);
    if (found.kind === 'category')
      return speakListing(input, { kind: 'category', key: found.category, offset: 0 }, catalog, turn.locale);
    // "two of those": the count said inside the reference, else the quantity slot.
    const quantity = parseQuantity(
      found.quantity !== undefined ? String(found.quantity) : slotOf(input, 'quantity')?.value,
    );
    if (!quantity.ok) {
      return ask(
        input,
        text(`I can add between 1 and ${MAX_LINE_QUANTITY} at a time.`),
        text('How many would you like?'),
      );
    }
    return addProduct(input, turn, catalog, found.product, quantity.quantity);
  },
};
