import type { Slot } from 'ask-sdk-model';
import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../catalog/types';
import { parseReference, type ReferenceContext, referenceInSlot, resolveReference } from './reference';

function product(name: string): CatalogProduct {
  return {
    id: `id-${name.toLowerCase().replace(/\W+/g, '-')}`,
    name,
    description: '',
    category: 'Coffee',
    priceAmount: 1800,
    currency: 'USD',
    featured: false,
    defaultPitch: '{{product}}',
    synonyms: [],
  };
}
const huila = product('Colombia Huila');
const sumatra = product('Sumatra Mandheling');
const espresso = product('Northwind House Espresso');
const kettle = product('Gooseneck Kettle');

const states: Record<string, ReferenceContext> = {
  'after a pitch': { focus: huila, list: undefined },
  'after a list of three': { focus: undefined, list: [huila, sumatra, espresso] },
  'after a pitch, with a list heard earlier': { focus: kettle, list: [huila, sumatra, espresso] },
  'after a list of one': { focus: undefined, list: [sumatra] },
  'with nothing heard': { focus: undefined, list: undefined },
  'after a list whose second product left the catalog': { focus: undefined, list: [huila, undefined] },
};

type Expected =
  | { product: CatalogProduct; quantity?: number }
  | { unclear: 'nothing_in_focus' | 'no_list' | 'gone' | 'several' }
  | { outOfRange: number; size: number };

const table: [said: string, state: string, expected: Expected][] = [
  ['it', 'after a pitch', { product: huila }],
  ['that', 'after a pitch', { product: huila }],
  ['this', 'after a pitch', { product: huila }],
  ['this one', 'after a pitch', { product: huila }],
  ['those', 'after a pitch', { product: huila }],
  ['two of those', 'after a pitch', { product: huila, quantity: 2 }],
  ['Two of those!', 'after a pitch', { product: huila, quantity: 2 }],
  ['3 of them', 'after a pitch', { product: huila, quantity: 3 }],
  ['twelve of these', 'after a pitch', { product: huila, quantity: 12 }],
  // What Alexa left in the product slot once "two" went to the quantity slot: the reported bug.
  ['of those', 'after a pitch', { product: huila }],
  ['one of those', 'after a pitch', { product: huila, quantity: 1 }],
  ['the first one', 'after a list of three', { product: huila }],
  ['the second one', 'after a list of three', { product: sumatra }],
  ['second', 'after a list of three', { product: sumatra }],
  ['the 2nd one', 'after a list of three', { product: sumatra }],
  ['the third one', 'after a list of three', { product: espresso }],
  ['the last one', 'after a list of three', { product: espresso }],
  ['two of the last one', 'after a list of three', { product: espresso, quantity: 2 }],
  ['the fifth one', 'after a list of three', { outOfRange: 5, size: 3 }],
  ['the second one', 'after a pitch, with a list heard earlier', { product: sumatra }],
  ['that one', 'after a pitch, with a list heard earlier', { product: kettle }],
  ['those', 'after a list of three', { unclear: 'nothing_in_focus' }],
  ['it', 'after a list of one', { product: sumatra }],
  ['the first one', 'after a list of one', { product: sumatra }],
  ['it', 'with nothing heard', { unclear: 'nothing_in_focus' }],
  ['two of those', 'with nothing heard', { unclear: 'nothing_in_focus' }],
  ['the second one', 'with nothing heard', { unclear: 'no_list' }],
  ['the second one', 'after a pitch', { unclear: 'no_list' }],
  ['the second one', 'after a list whose second product left the catalog', { unclear: 'gone' }],
  ['two more', 'after a pitch', { product: huila, quantity: 2 }],
  ['more', 'after a pitch', { product: huila }],
  ['another one', 'after a pitch', { product: huila }],
  ['both', 'after a list of three', { unclear: 'several' }],
  ['all of them', 'after a pitch', { unclear: 'several' }],
];

describe('references', () => {
  it.each(table)('"%s" %s', (said, state, expected) => {
    const reference = parseReference(said);
    expect(reference, said).toBeDefined();
    const outcome = resolveReference(
      reference as NonNullable<typeof reference>,
      states[state] as ReferenceContext,
    );
    if ('product' in expected) {
      expect(outcome).toEqual({
        kind: 'product',
        product: expected.product,
        ...(expected.quantity === undefined ? {} : { quantity: expected.quantity }),
      });
    } else if ('unclear' in expected) {
      expect(outcome).toEqual({ kind: 'unclear', why: expected.unclear });
    } else {
      expect(outcome).toEqual({ kind: 'out_of_range', position: expected.outOfRange, size: expected.size });
    }
  });

  it.each([
    'colombia huila',
    'espresso',
    'the kettle',
    'two kettles',
    'a couple of those things',
    'the one with the lid',
    'itself',
    'first class coffee',
    'two of colombia huila',
    '',
  ])('"%s" is not a reference: it may name a product', (said) => {
    expect(parseReference(said)).toBeUndefined();
  });

  it("reads Alexa's REFERENCE resolution when the words alone do not parse", () => {
    const slot = (value: string, id: string): Slot => ({
      name: 'reference',
      value,
      confirmationStatus: 'NONE',
      resolutions: {
        resolutionsPerAuthority: [
          {
            authority: 'amzn1.er-authority.echo-sdk.amzn1.ask.skill.x.REFERENCE',
            status: { code: 'ER_SUCCESS_MATCH' },
            values: [{ value: { id, name: 'the second one' } }],
          },
        ],
      },
    });
    expect(referenceInSlot(slot('the secnd one', '2'))).toEqual({ kind: 'position', position: 2 });
    expect(referenceInSlot(slot('the very end one', 'last'))).toEqual({ kind: 'position', position: 'last' });
    expect(referenceInSlot(slot('that there', 'focus'))).toEqual({ kind: 'focus' });
    // A product authority's match is not a reference.
    const productSlot: Slot = {
      name: 'product',
      value: 'huila',
      confirmationStatus: 'NONE',
      resolutions: {
        resolutionsPerAuthority: [
          {
            authority: 'amzn1.er-authority.echo-sdk.amzn1.ask.skill.x.PRODUCT',
            status: { code: 'ER_SUCCESS_MATCH' },
            values: [{ value: { id: '2', name: 'colombia huila' } }],
          },
        ],
      },
    };
    expect(referenceInSlot(productSlot)).toBeUndefined();
    expect(referenceInSlot(undefined)).toBeUndefined();
  });
});
