import { text } from '@pitchline/core';
import type { DialogHandler } from '../handler';
import { lookupProduct } from '../intent';
import { speakListing } from '../listing';
import { speakPitch } from '../pitch';
import { askWhichProduct } from '../reference-reply';
import { ask } from '../respond';
import { updateSession } from '../session';
import { clip } from '../speech';

export const productDetailsHandler: DialogHandler = {
  name: 'ProductDetails',
  intents: ['ProductDetailsIntent'],
  async handle(input, turn, deps) {
    const catalog = await turn.catalog();
    const found = lookupProduct(input, turn, catalog);
    if (found.kind === 'no_match') {
      return ask(
        input,
        text(`Sorry, we don't have ${clip(found.said, 100)}.`),
        text('You can search, or say browse to hear our categories.'),
      );
    }
    if (found.kind === 'missing')
      return ask(input, text(''), text('Which product would you like to hear about?'));
    if (found.kind === 'unclear' || found.kind === 'out_of_range') return askWhichProduct(input, found);
    if (found.kind === 'category')
      return speakListing(input, { kind: 'category', key: found.category, offset: 0 }, catalog, turn.locale);
    const { product } = found;
    updateSession(input, (d) => {
      d.lastProductId = product.id;
      d.pending = { kind: 'add', productId: product.id };
    });
    return ask(
      input,
      await speakPitch(input, turn, deps, product, catalog, 'product'),
      text('Would you like to add it to your cart?'),
      {
        cardTitle: clip(product.name, 100),
      },
    );
  },
};
