import { text } from '@pitchline/core';
import { parseQuantity } from '../cart';
import { removeProduct } from '../cart-actions';
import type { DialogHandler } from '../handler';
import { lookupProduct, slotOf } from '../intent';
import { askWhichProduct } from '../reference-reply';
import { ask } from '../respond';
import { clip } from '../speech';

export const removeFromCartHandler: DialogHandler = {
  name: 'RemoveFromCart',
  intents: ['RemoveFromCartIntent'],
  async handle(input, turn) {
    const catalog = await turn.catalog();
    const found = lookupProduct(input, turn, catalog);
    if (found.kind === 'no_match') {
      return ask(
        input,
        text(`${clip(found.said, 100)} isn't in your cart.`),
        text('What would you like to do?'),
      );
    }
    if (found.kind === 'missing') return ask(input, text(''), text('Which product should I remove?'));
    // A category is not a cart line: ask for the product, as with nothing to point at.
    if (found.kind === 'unclear' || found.kind === 'out_of_range' || found.kind === 'category')
      return askWhichProduct(
        input,
        found.kind === 'category' ? { kind: 'unclear', why: 'nothing_in_focus' } : found,
      );
    const said = found.quantity !== undefined ? String(found.quantity) : slotOf(input, 'quantity')?.value;
    // No quantity means the whole line: "remove the mugs".
    if (said === undefined || said.trim() === '') return removeProduct(input, turn, found.product, undefined);
    const quantity = parseQuantity(said);
    if (!quantity.ok) return ask(input, text("I didn't catch how many."), text('How many should I remove?'));
    return removeProduct(input, turn, found.product, quantity.quantity);
  },
};
