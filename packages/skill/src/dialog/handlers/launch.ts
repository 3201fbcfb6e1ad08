import { concat, text } from '@pitchline/core';
import type { DialogHandler } from '../handler';
import { speakPitch } from '../pitch';
import { ask } from '../respond';
import { updateSession } from '../session';
import { clip } from '../speech';

/** Greets and pitches the featured product (the catalog itself goes to Alexa in skill.ts). */
export const launchHandler: DialogHandler = {
  name: 'Launch',
  requestTypes: ['LaunchRequest'],
  async handle(input, turn, deps) {
    const catalog = await turn.catalog();
    const welcome = text(`Welcome to ${clip(catalog.merchantName, 80)}. `);
    const featured = catalog.products.find((p) => p.featured) ?? catalog.products[0];
    if (!featured) {
      return ask(
        input,
        concat(welcome, text('There is nothing for sale right now.')),
        text('Is there anything else?'),
      );
    }
    updateSession(input, (d) => {
      d.lastProductId = featured.id;
      d.pending = { kind: 'add', productId: featured.id };
    });
    return ask(
      input,
      concat(
        welcome,
        text("Today's pick: "),
        await speakPitch(input, turn, deps, featured, catalog, 'launch'),
      ),
      text('Would you like to add it to your cart, or hear what else we have?'),
      { cardTitle: catalog.merchantName },
    );
  },
};
