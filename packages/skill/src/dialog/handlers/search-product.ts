import { text } from '@pitchline/core';
import { searchProducts } from '../../catalog/match';
import { spokenValue } from '../../catalog/resolve';
import type { DialogHandler } from '../handler';
import { slotOf } from '../intent';
import { speakListing } from '../listing';
import { ask } from '../respond';
import { clip } from '../speech';
import { recordSlot } from '../turn';

export const searchProductHandler: DialogHandler = {
  name: 'SearchProduct',
  intents: ['SearchProductIntent'],
  async handle(input, turn) {
    const catalog = await turn.catalog();
    const query = spokenValue(slotOf(input, 'query'));
    if (query === '') return ask(input, text(''), text('What are you looking for?'));
    const matches = searchProducts(query, catalog.products);
    const top = matches[0]?.product;
    // What people search for and do not find is what the merchant should stock: record it.
    recordSlot(
      turn,
      top
        ? {
            name: 'query',
            value: query,
            resolved_id: top.id,
            resolved_value: top.name.slice(0, 500),
            resolution: 'match',
          }
        : { name: 'query', value: query, resolution: 'no_match' },
    );
    if (!top) {
      return ask(
        input,
        text(`Sorry, I couldn't find anything for ${clip(query, 100)}.`),
        text('You can search for something else, or say browse to hear our categories.'),
      );
    }
    return speakListing(input, { kind: 'search', key: query, offset: 0 }, catalog, turn.locale);
  },
};
