import { concat, text } from '@pitchline/core';
import { resolveCategorySlot } from '../../catalog/resolve';
import type { DialogHandler } from '../handler';
import { slotOf } from '../intent';
import { speakListing } from '../listing';
import { clip } from '../speech';
import { recordSlot } from '../turn';

export const browseCatalogHandler: DialogHandler = {
  name: 'BrowseCatalog',
  intents: ['BrowseCatalogIntent'],
  async handle(input, turn) {
    const catalog = await turn.catalog();
    const { category, record } = resolveCategorySlot('category', slotOf(input, 'category'), catalog);
    if (record.resolution !== 'none') recordSlot(turn, record);
    if (category)
      return speakListing(input, { kind: 'category', key: category, offset: 0 }, catalog, turn.locale);
    const intro =
      record.resolution === 'no_match'
        ? text(`I couldn't find a category called ${clip(record.value, 80)}. `)
        : undefined;
    return speakListing(
      input,
      { kind: 'categories', key: '', offset: 0 },
      catalog,
      turn.locale,
      intro ?? concat(),
    );
  },
};
